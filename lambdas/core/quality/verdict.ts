import type { CheckResult } from './check.ts';
import type { QualityRun } from './runner.ts';

/** Exit codes of `tally check`: usable from cron and CI. */
export const EXIT_OK = 0;
/** An error-severity check failed. */
export const EXIT_CHECK_FAILED = 1;
/** No error-severity check failed, but some check could not run (the monitor itself is broken). */
export const EXIT_CHECK_ERRORED = 2;

const failingOf = (run: QualityRun, severity: CheckResult['severity']): string[] => [
  ...new Set(run.results.filter((r) => r.status === 'fail' && r.severity === severity).map((r) => r.check)),
];

/** Names of checks with at least one failing bucket, in run order, error severity first. */
export const failingChecks = (run: QualityRun): string[] => [
  ...failingOf(run, 'error'),
  ...failingOf(run, 'warn'),
];

/** Names of checks that could not run. */
export const erroredChecks = (run: QualityRun): string[] => [
  ...new Set(run.results.filter((r) => r.status === 'error').map((r) => r.check)),
];

/** The exit code for a run: failing error-severity checks win over checks that could not run. */
export const exitCodeOf = (run: QualityRun): number => {
  if (run.results.some((r) => r.status === 'fail' && r.severity === 'error')) return EXIT_CHECK_FAILED;
  if (run.results.some((r) => r.status === 'error')) return EXIT_CHECK_ERRORED;
  return EXIT_OK;
};

/**
 * One line for the local status bar: `quality ok (16 checks)` or
 * `quality FAILING freshness-raw, volume-hourly; warn duplicate-rate; could not run reconciliation`.
 */
export const statusLine = (run: QualityRun): string => {
  const errorFails = failingOf(run, 'error');
  const warnFails = failingOf(run, 'warn');
  const errored = erroredChecks(run);
  const checks = new Set(run.results.map((r) => r.check)).size;
  if (errorFails.length + warnFails.length + errored.length === 0) return `quality ok (${checks} checks)`;
  const parts: string[] = [];
  if (errorFails.length > 0) parts.push(`FAILING ${errorFails.join(', ')}`);
  if (warnFails.length > 0) parts.push(`warn ${warnFails.join(', ')}`);
  if (errored.length > 0) parts.push(`could not run ${errored.join(', ')}`);
  return `quality ${parts.join('; ')}`;
};
