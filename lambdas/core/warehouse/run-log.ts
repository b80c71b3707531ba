import type { RunMode } from './model.ts';
import type { Warehouse } from './ports.ts';
import { runStatement } from './sql-exec.ts';
import type { SqlLibrary } from './sql-library.ts';
import { toSqlTimestamp } from './time.ts';

/** One row of ops.model_runs. */
export interface ModelRunRecord {
  readonly runId: string;
  readonly model: string;
  readonly mode: RunMode;
  readonly status: 'succeeded' | 'failed';
  readonly startedAt: Date;
  readonly finishedAt: Date;
  readonly durationMs: number;
  readonly rowsRead: number;
  readonly rowsWritten: number;
  readonly watermarkFrom: Date | null;
  readonly watermarkTo: Date | null;
  readonly rangeFrom: string | null;
  readonly rangeTo: string | null;
  /** Raw files the run read. */
  readonly loads: readonly string[];
  readonly error: string | null;
}

/** Writes a run's records to ops.model_runs in one statement. */
export const logModelRuns = async (
  warehouse: Warehouse,
  sql: SqlLibrary,
  records: readonly ModelRunRecord[],
): Promise<void> => {
  if (records.length === 0) return;
  const runs = records.map((record) => ({
    run_id: record.runId,
    model_name: record.model,
    mode: record.mode,
    status: record.status,
    started_at: toSqlTimestamp(record.startedAt),
    finished_at: toSqlTimestamp(record.finishedAt),
    duration_ms: Math.round(record.durationMs),
    rows_read: record.rowsRead,
    rows_written: record.rowsWritten,
    watermark_from: record.watermarkFrom ? toSqlTimestamp(record.watermarkFrom) : null,
    watermark_to: record.watermarkTo ? toSqlTimestamp(record.watermarkTo) : null,
    range_from: record.rangeFrom,
    range_to: record.rangeTo,
    loads: record.loads,
    error: record.error,
  }));
  await runStatement(warehouse, sql.statement('ops/model_runs', 'insert'), { runs: JSON.stringify(runs) });
};
