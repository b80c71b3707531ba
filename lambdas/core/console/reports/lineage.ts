import { ERASURE_MODEL } from '#core/erasure/steps/warehouse.ts';
import type { Row } from '#core/warehouse/ports.ts';
import { FACT_MODEL } from '#core/warehouse/runner.ts';
import { readNumber, readString } from '#core/warehouse/values.ts';
import type { ConsoleReport } from '../report.ts';
import { checkWindow } from './checks.ts';

const FILE = 'console/lineage';

const listOf = (value: unknown): string[] => {
  const list = typeof value === 'string' ? (JSON.parse(value) as unknown) : value;
  return Array.isArray(list) ? list.map(String) : [];
};

interface RunSummary {
  runId: string;
  mode: string;
  status: 'succeeded' | 'failed';
  startedAt: string;
  finishedAt: string;
  models: number;
  factRowsRead: number;
  factRowsWritten: number;
  rowsWritten: number;
  loads: number;
}

/**
 * `lineage`: the latest model runs in the range (default the last 7 days, at most `limit`), each with the
 * raw files it read; with `run` (default the latest), that run's models (rows read and written, duration,
 * error) and files; and the raw rows by event name, schema version and validator build.
 */
export const lineageReport: ConsoleReport = {
  name: 'lineage',
  summary: 'which loads fed which model run, and raw rows by schema version and validator build',
  prepare(params, { today }) {
    const range = params.range(today, 7);
    const run = params.key('run');
    const limit = params.integer('limit', 1, 200, 30);
    return {
      params: { ...range, run, limit },
      async run(reads) {
        const window = checkWindow(range);
        const rows = await reads.statement(FILE, 'runs', {
          ...window,
          max_runs: limit,
          fact_model: FACT_MODEL,
          erasure_model: ERASURE_MODEL,
        });
        const byRun = new Map<string, Row[]>();
        for (const row of rows)
          byRun.set(String(row.run_id), [...(byRun.get(String(row.run_id)) ?? []), row]);
        const runs: RunSummary[] = [...byRun].map(([runId, models]) => {
          const fact = models.find((m) => m.model_name === FACT_MODEL);
          return {
            runId,
            mode: String(models[0]?.mode),
            status: models.some((m) => m.status !== 'succeeded') ? 'failed' : 'succeeded',
            startedAt: models.map((m) => String(m.started_at)).sort()[0] ?? '',
            finishedAt:
              models
                .map((m) => String(m.finished_at))
                .sort()
                .at(-1) ?? '',
            models: models.length,
            factRowsRead: readNumber(fact?.rows_read) ?? 0,
            factRowsWritten: readNumber(fact?.rows_written) ?? 0,
            rowsWritten: models.reduce((s, m) => s + (readNumber(m.rows_written) ?? 0), 0),
            loads: listOf(fact?.loads).length,
          };
        });
        const chosen = run ?? runs[0]?.runId ?? null;
        const models = chosen === null ? [] : (byRun.get(chosen) ?? []);
        const builds = await reads.statement(FILE, 'rows_by_build', window);
        return {
          runs,
          run:
            chosen === null
              ? null
              : {
                  runId: chosen,
                  found: models.length > 0,
                  loads: listOf(models.find((m) => m.model_name === FACT_MODEL)?.loads),
                  models: models
                    .map((m) => ({
                      model: String(m.model_name),
                      status: String(m.status),
                      startedAt: String(m.started_at),
                      durationMs: readNumber(m.duration_ms) ?? 0,
                      rowsRead: readNumber(m.rows_read) ?? 0,
                      rowsWritten: readNumber(m.rows_written) ?? 0,
                      error: readString(m.error),
                    }))
                    .sort((a, b) => a.startedAt.localeCompare(b.startedAt) || a.model.localeCompare(b.model)),
                },
          builds: builds.map((b) => ({
            eventName: String(b.event_name),
            schemaVersion: String(b.schema_version),
            validatorBuild: readString(b.validator_build),
            events: readNumber(b.events) ?? 0,
            firstLoadedAt: String(b.first_loaded_at),
            lastLoadedAt: String(b.last_loaded_at),
          })),
        };
      },
    };
  },
};
