import type { Warehouse } from '#core/warehouse/ports.ts';
import type { SqlLibrary } from '#core/warehouse/sql-library.ts';
import type { AcceptedCounts } from './ports.ts';

/** `error` checks page on-call and make `tally check` exit non-zero; `warn` checks are reported only. */
export type Severity = 'error' | 'warn';

/**
 * Outcome of one bucket: `pass` / `fail` against the threshold; `skipped` when the data cannot be
 * judged yet (too little history, too small a volume, an input that is not configured); `error`
 * when the check itself could not run.
 */
export type CheckStatus = 'pass' | 'fail' | 'skipped' | 'error';

/** CloudWatch units the quality metrics use (a subset of Powertools' `MetricUnit`). */
export type QualityMetricUnit = 'Count' | 'Percent' | 'Seconds' | 'None';

/** The metric a check publishes (what alarms and dashboards key on). */
export interface MetricSpec {
  readonly name: string;
  readonly unit: QualityMetricUnit;
  /** Dimension names (besides the `service` dimension every metric carries); every datapoint has all of them. */
  readonly dimensions: readonly string[];
}

/** What one check found about one bucket (a table, a column, a source, an hour of one series...). */
export interface BucketResult {
  /** Stable, human-readable id of what was checked, e.g. `raw.events.dedup_key` or `source=web|reason=SCHEMA_VIOLATION`. */
  readonly bucket: string;
  readonly status: CheckStatus;
  /** The measured value (a count, a rate in percent, an age in seconds, a z-score...). */
  readonly observed: number | null;
  /** Inclusive pass range; null bounds are open. */
  readonly expectedMin: number | null;
  readonly expectedMax: number | null;
  /** A few offending keys (dedup keys, feature ids, file#row...), most telling first. */
  readonly sample: readonly string[];
  /** One line of context for a person (why skipped, which direction, what was expected). */
  readonly detail?: string;
}

/** One metric datapoint a check publishes; its name, unit and dimension names follow the check's {@link MetricSpec}. */
export interface MetricDatum {
  readonly name: string;
  readonly unit: QualityMetricUnit;
  readonly dimensions: Readonly<Record<string, string>>;
  readonly value: number;
}

/** What a check returns: its buckets (recorded in `ops.quality_results`) and its metric datapoints. */
export interface CheckOutput {
  readonly buckets: readonly BucketResult[];
  readonly metrics: readonly MetricDatum[];
}

/** A result as recorded: the bucket result plus which check, when and in which run. */
export interface CheckResult extends BucketResult {
  readonly check: string;
  readonly severity: Severity;
  readonly runId: string;
  readonly checkedAt: Date;
}

/** Everything a check may read. Checks never write (the runner records results). */
export interface CheckContext {
  readonly warehouse: Warehouse;
  /** The rendered `sql/` library for the warehouse's dialect. */
  readonly sql: SqlLibrary;
  /** The clock of this run: every window is computed from it, so a run is reproducible. */
  readonly now: Date;
  /** Most offending keys a bucket reports. */
  readonly sampleSize: number;
  /** The collector's accepted counts, when this deployment has them (reconciliation needs them). */
  readonly acceptedCounts?: AcceptedCounts;
  /**
   * How the job's copy of Snowpipe's unloadable lines into raw.rejected_events went, just before the
   * checks (quality-job.ts); the unloadable-lines check reports a failed copy as its own error.
   */
  readonly unloadableCopy?: UnloadableCopy;
}

/** Rows the copy of unloadable lines inserted, or why it failed. */
export type UnloadableCopy = { readonly copied: number } | { readonly error: unknown };

/**
 * A declared, parameterised check: a name (also its runbook, `docs/runbooks/<name>.md`), a
 * severity, its parameters (thresholds and windows, visible in results and docs), and how to
 * compute its buckets.
 */
export interface QualityCheck<P = unknown> {
  readonly name: string;
  readonly description: string;
  readonly severity: Severity;
  readonly params: P;
  readonly metric: MetricSpec;
  run(context: CheckContext): Promise<CheckOutput>;
}

/** A datapoint of `spec` (dimension values in the order of `spec.dimensions`). */
export const datum = (spec: MetricSpec, values: readonly string[], value: number): MetricDatum => {
  if (values.length !== spec.dimensions.length) {
    throw new RangeError(
      `metric ${spec.name} takes ${spec.dimensions.length} dimension values, got ${values.length}`,
    );
  }
  return {
    name: spec.name,
    unit: spec.unit,
    dimensions: Object.fromEntries(spec.dimensions.map((d, i) => [d, values[i]!])),
    value,
  };
};
