import { randomUUID } from 'node:crypto';
import type { CheckContext, CheckResult, MetricDatum, QualityCheck } from './check.ts';
import { CheckExecutionError } from './errors.ts';
import { CHECK_DIMENSION, CHECK_ERRORS_METRIC, CHECK_FAILURES_METRIC } from './metric-names.ts';

/** One run of a set of checks: every bucket result and every metric datapoint, in check order. */
export interface QualityRun {
  readonly runId: string;
  readonly startedAt: Date;
  readonly results: readonly CheckResult[];
  readonly metrics: readonly MetricDatum[];
  /** Checks that could not run, with why. Their results carry status `error`. */
  readonly errors: readonly CheckExecutionError[];
}

/** The bucket a check that could not run, or had nothing to judge, is recorded under. */
export const WHOLE_CHECK_BUCKET = '*';

/** What a check that found nothing in its window reports: it ran, and there was nothing to judge. */
const NOTHING_TO_JUDGE = {
  bucket: WHOLE_CHECK_BUCKET,
  status: 'skipped',
  observed: null,
  expectedMin: null,
  expectedMax: null,
  sample: [],
  detail: 'nothing to judge: no data in the window yet',
} as const;

/**
 * Runs `checks` one after another against the same clock. A check that throws does not stop the
 * others: it is recorded with status `error` and counted in `CheckErrors`. A check with no bucket to
 * report (no data in its window: a fresh install, an idle pipeline) is recorded as `skipped`, so every
 * check that ran has a result. Every check that ran
 * also reports `CheckFailures` (its failing bucket count, 0 when clean) so an alarm can tell
 * "clean" from "not running".
 */
export const runChecks = async (
  checks: readonly QualityCheck[],
  context: CheckContext,
  runId: string = randomUUID(),
): Promise<QualityRun> => {
  const results: CheckResult[] = [];
  const metrics: MetricDatum[] = [];
  const errors: CheckExecutionError[] = [];
  for (const check of checks) {
    const stamp = { check: check.name, severity: check.severity, runId, checkedAt: context.now };
    const checkMetric = (name: string, value: number): MetricDatum => ({
      name,
      unit: 'Count',
      dimensions: { [CHECK_DIMENSION]: check.name },
      value,
    });
    try {
      const output = await check.run(context);
      const buckets = output.buckets.length > 0 ? output.buckets : [NOTHING_TO_JUDGE];
      results.push(...buckets.map((bucket) => ({ ...bucket, ...stamp })));
      metrics.push(...output.metrics);
      metrics.push(
        checkMetric(CHECK_FAILURES_METRIC, output.buckets.filter((b) => b.status === 'fail').length),
      );
      metrics.push(checkMetric(CHECK_ERRORS_METRIC, 0));
    } catch (cause) {
      const error = new CheckExecutionError(check.name, cause);
      errors.push(error);
      results.push({
        ...stamp,
        bucket: WHOLE_CHECK_BUCKET,
        status: 'error',
        observed: null,
        expectedMin: null,
        expectedMax: null,
        sample: [],
        detail: error.message,
      });
      metrics.push(checkMetric(CHECK_ERRORS_METRIC, 1));
    }
  }
  return { runId, startedAt: context.now, results, metrics, errors };
};
