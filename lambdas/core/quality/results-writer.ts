import type { Warehouse } from '#core/warehouse/ports.ts';
import { runStatement } from '#core/warehouse/sql-exec.ts';
import type { SqlLibrary } from '#core/warehouse/sql-library.ts';
import { toSqlTimestamp } from '#core/warehouse/time.ts';
import type { QualityRun } from './runner.ts';

/** Days of results kept in ops.quality_results. */
export const RESULTS_RETENTION_DAYS = 90;

/**
 * Records a run in ops.quality_results (one INSERT for all its results) and its summary per check in
 * ops.quality_check_runs, and deletes both older than the retention, in one transaction.
 */
export const recordRun = async (
  warehouse: Warehouse,
  run: QualityRun,
  library: SqlLibrary,
): Promise<void> => {
  const rows = run.results.map((r) => ({
    run_id: r.runId,
    checked_at: toSqlTimestamp(r.checkedAt),
    check_name: r.check,
    bucket: r.bucket,
    severity: r.severity,
    status: r.status,
    observed: r.observed,
    expected_min: r.expectedMin,
    expected_max: r.expectedMax,
    offending_keys: r.sample,
    detail: r.detail ?? null,
  }));
  const keepAfter = new Date(run.startedAt.getTime() - RESULTS_RETENTION_DAYS * 86_400_000);
  await warehouse.transaction(async (tx) => {
    if (rows.length > 0) {
      await runStatement(tx, library.statement('quality/quality_results', 'insert_results'), {
        results: JSON.stringify(rows),
      });
      const first = run.results.reduce(
        (t, r) => Math.min(t, r.checkedAt.getTime()),
        Number.POSITIVE_INFINITY,
      );
      await runStatement(tx, library.statement('quality/quality_results', 'insert_check_runs'), {
        run_id: run.runId,
        checked_from: toSqlTimestamp(new Date(first)),
      });
    }
    for (const prune of ['prune', 'prune_check_runs']) {
      await runStatement(tx, library.statement('quality/quality_results', prune), {
        keep_after: toSqlTimestamp(keepAfter),
      });
    }
  });
};
