import type { Row } from '#core/warehouse/ports.ts';
import { formatRows } from './output-format.ts';
import { brief, formatStatusLine, isMissingTable } from './stack-status.ts';
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

/** The latest result of every bucket of each check's latest run (a run of selected checks leaves the others' as they were). */
const LATEST_QUALITY = `SELECT check_name, bucket, severity, status, observed, expected_min, expected_max, detail,
  CAST(checked_at AS VARCHAR) AS checked_at
FROM ops.quality_results
QUALIFY run_id = FIRST_VALUE(run_id) OVER (PARTITION BY check_name ORDER BY checked_at DESC, run_id DESC)
ORDER BY check_name, bucket`;

/** What the latest quality results say: how many checks, when, and the failing or erroring buckets. */
export interface QualitySummary {
  readonly checks: number;
  readonly newest: string | null;
  /** Failing (`fail`) and erroring (`error`) buckets, error severity first. */
  readonly failing: readonly Row[];
}

const readQuality = async (reader: WarehouseReader): Promise<QualitySummary | null> => {
  let rows: Row[];
  try {
    rows = await reader.query(LATEST_QUALITY);
  } catch {
    return null;
  }
  const failing = rows
    .filter((r) => r.status === 'fail' || r.status === 'error')
    .sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1));
  const newest = rows.reduce<string | null>(
    (max, r) => (max === null || String(r.checked_at) > max ? String(r.checked_at) : max),
    null,
  );
  return { checks: new Set(rows.map((r) => r.check_name)).size, newest, failing };
};

/** `quality: 16 checks, latest results 2026-03-10 15:05:00: ok` or the failing checks by severity. */
export const qualityLine = (quality: QualitySummary | null): string => {
  if (quality === null || quality.checks === 0) {
    return 'quality: no results yet (tally dev runs the checks every minute; or run `tally check`)';
  }
  const names = (pick: (r: Row) => boolean) => [
    ...new Set(quality.failing.filter(pick).map((r) => r.check_name)),
  ];
  const errors = names((r) => r.status === 'fail' && r.severity === 'error');
  const warnings = names((r) => r.status === 'fail' && r.severity !== 'error');
  const broken = names((r) => r.status === 'error');
  const verdict = [
    errors.length > 0 ? `FAILING ${errors.join(', ')}` : '',
    warnings.length > 0 ? `warn ${warnings.join(', ')}` : '',
    broken.length > 0 ? `could not run ${broken.join(', ')}` : '',
  ].filter((part) => part !== '');
  return `quality: ${quality.checks} checks, latest results ${quality.newest}: ${verdict.length === 0 ? 'ok' : verdict.join('; ')}`;
};

/**
 * The status report: the live line when a stack runs, then warehouse totals, the latest quality results
 * (failing buckets listed, each with its runbook) and the rejects by reason.
 */
export const formatStatusReport = async (reader: WarehouseReader, json: boolean): Promise<string> => {
  const live = await reader.status();
  const totals: Record<string, unknown> = {};
  for (const { label, sql } of TOTALS) {
    try {
      totals[label] = (await reader.query(sql))[0]?.v ?? null;
    } catch (error) {
      // '-' says "nothing there": only for a table that does not exist yet, never for one that could not be read
      totals[label] = isMissingTable(error)
        ? null
        : `? (${brief(error instanceof Error ? error.message : String(error), 100)})`;
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
  const quality = await readQuality(reader);
  if (json) return JSON.stringify({ running: live, totals, quality, rejects }, null, 2);
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
  lines.push('', qualityLine(quality));
  if (quality && quality.failing.length > 0) {
    lines.push(
      formatRows(
        quality.failing.map((r) => ({
          check: r.check_name,
          bucket: r.bucket,
          severity: r.severity,
          status: r.status,
          observed: r.observed,
          expected: `${r.expected_min ?? ''}..${r.expected_max ?? ''}`,
          detail: r.detail,
        })),
        'table',
      ),
      'runbooks: docs/runbooks/<check>.md; details: tally check --all',
    );
  }
  if (rejects.length > 0) lines.push('', 'rejected events by reason (raw):', formatRows(rejects, 'table'));
  return lines.join('\n');
};
