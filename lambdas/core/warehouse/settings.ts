import { TransformArgumentError } from './errors.ts';

/** Tunables of the model runner; defaults follow DESIGN sections 2 and 6. */
export interface TransformSettings {
  /** Minutes re-read before the watermark, for loads that committed late with an earlier loaded_at. */
  readonly overlapMinutes: number;
  /** Events whose event_ts is more than this before received_at are flagged is_late_beyond_window. */
  readonly lateWindowHours: number;
  /**
   * Copies of a dedup_key whose event dates are at most this many days apart are one event. A run looks
   * stored copies up on these days around its new rows only (the fact is clustered by event date); a copy
   * further away is stored as a second row, and the dedup-window quality check counts such rows.
   */
  readonly dedupWindowDays: number;
  /**
   * event_ts later than received_at by more than this (a device clock ahead) is clamped to received_at
   * plus this, and the fact row flagged event_ts_clamped: no event is dated in the future.
   */
  readonly futureToleranceMinutes: number;
  /**
   * A run's lock expires after this when the run has no deadline (local mode, the CLI). A run with a
   * deadline (a Lambda) holds it until the deadline plus lockMarginMinutes instead: a run killed at its
   * timeout blocks the next ones only that long.
   */
  readonly lockTtlMinutes: number;
  /** Minutes a lock outlives its run's deadline (clock skew between the Lambda and the warehouse). */
  readonly lockMarginMinutes: number;
  /** raw.events and raw.rejected_events keep this many days of loads. */
  readonly rawRetentionDays: number;
  /** curated.fct_feature_events keeps this many days of events (from the Monday before). */
  readonly factRetentionDays: number;
  /** Aggregates keep this many days. */
  readonly aggregateRetentionDays: number;
}

export const DEFAULT_TRANSFORM_SETTINGS: TransformSettings = {
  overlapMinutes: 10,
  lateWindowHours: 72,
  dedupWindowDays: 2,
  futureToleranceMinutes: 5,
  lockTtlMinutes: 20,
  lockMarginMinutes: 1,
  rawRetentionDays: 180,
  factRetentionDays: 180,
  aggregateRetentionDays: 3 * 365 + 1,
};

/** Defaults overlaid with `overrides`; every value must be a positive integer (all problems reported at once). */
export const resolveTransformSettings = (overrides: Partial<TransformSettings> = {}): TransformSettings => {
  const settings = { ...DEFAULT_TRANSFORM_SETTINGS, ...overrides };
  const problems = Object.entries(settings)
    .filter(([, value]) => !Number.isInteger(value) || value <= 0)
    .map(([key, value]) => `${key} must be a positive integer, got ${JSON.stringify(value)}`);
  if (problems.length > 0) throw new TransformArgumentError(problems);
  return settings;
};
