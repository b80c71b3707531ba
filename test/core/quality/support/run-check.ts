import type { CheckResult, QualityCheck } from '#core/quality/check.ts';
import type { AcceptedCounts } from '#core/quality/ports.ts';
import { type QualityRun, runChecks } from '#core/quality/runner.ts';
import type { Warehouse } from '#core/warehouse/ports.ts';
import { duckdbSql } from '#test/support/sql-library.ts';
import { NOW } from './clean-warehouse.ts';

export interface RunCheckOptions {
  readonly now?: Date;
  readonly acceptedCounts?: AcceptedCounts;
}

/** Runs one check at NOW (or `now`); a check that cannot run fails the test with its error. */
export const runCheck = async (
  warehouse: Warehouse,
  check: QualityCheck,
  options: RunCheckOptions = {},
): Promise<QualityRun> => {
  const run = await runChecks([check], {
    warehouse,
    sql: duckdbSql,
    now: options.now ?? NOW,
    sampleSize: 20,
    ...(options.acceptedCounts ? { acceptedCounts: options.acceptedCounts } : {}),
  });
  const [error] = run.errors;
  if (error) throw error;
  return run;
};

/** [bucket, offending keys] of the failing buckets. */
export const failures = (run: QualityRun): [string, readonly string[]][] =>
  run.results.filter((r) => r.status === 'fail').map((r) => [r.bucket, r.sample]);

/** Results that are neither pass nor skipped (what a clean run must not have). */
export const notPassing = (run: QualityRun): CheckResult[] =>
  run.results.filter((r) => r.status === 'fail' || r.status === 'error');

export const bucket = (run: QualityRun, name: string): CheckResult | undefined =>
  run.results.find((r) => r.bucket === name);
