import type { Row } from '#core/warehouse/ports.ts';
import { formatRows } from './output-format.ts';
import { formatStatusLine } from './stack-status.ts';
import type { WarehouseReader } from './warehouse-reader.ts';

/** Totals any local warehouse can answer, running stack or not. */
const TOTALS: readonly { readonly label: string; readonly sql: string }[] = [
  { label: 'raw.events rows', sql: 'SELECT COUNT(*) AS v FROM raw.events' },
  { label: 'raw.rejected_events rows', sql: 'SELECT COUNT(*) AS v FROM raw.rejected_events' },
  { label: 'files loaded (ops.load_history)', sql: 'SELECT COUNT(*) AS v FROM ops.load_history' },
  { label: 'last load', sql: 'SELECT MAX(loaded_at) AS v FROM ops.load_history' },
  { label: 'curated.fct_feature_events rows', sql: 'SELECT COUNT(*) AS v FROM curated.fct_feature_events' },
  { label: 'newest event received (raw)', sql: 'SELECT MAX(received_at) AS v FROM raw.events' },
  {
    label: 'newest event received (curated)',
    sql: 'SELECT MAX(received_at) AS v FROM curated.fct_feature_events',
  },
  {
    label: 'last transform run',
    sql: "SELECT MAX(finished_at) || ' (' || MAX(status) || ')' AS v FROM ops.model_runs WHERE run_id = (SELECT run_id FROM ops.model_runs ORDER BY finished_at DESC LIMIT 1)",
  },
];

/** The status report: the live line when a stack runs, then warehouse totals and the rejects by reason. */
export const formatStatusReport = async (reader: WarehouseReader, json: boolean): Promise<string> => {
  const live = await reader.status();
  const totals: Record<string, unknown> = {};
  for (const { label, sql } of TOTALS) {
    try {
      totals[label] = (await reader.query(sql))[0]?.v ?? null;
    } catch {
      totals[label] = null;
    }
  }
  let rejects: Row[] = [];
  try {
    rejects = await reader.query(
      'SELECT reason_code, COUNT(*) AS events FROM raw.rejected_events GROUP BY reason_code ORDER BY events DESC',
    );
  } catch {
    rejects = [];
  }
  if (json) return JSON.stringify({ running: live, totals, rejects }, null, 2);
  const lines = [
    live
      ? `tally dev is running at ${live.url} since ${live.startedAt}\n${formatStatusLine(live)}`
      : 'tally dev is not running (totals below are from the warehouse file)',
    '',
    formatRows(
      Object.entries(totals).map(([what, value]) => ({ what, value: value === null ? '-' : String(value) })),
      'table',
    ),
  ];
  if (rejects.length > 0) lines.push('', 'rejected events by reason (raw):', formatRows(rejects, 'table'));
  return lines.join('\n');
};
