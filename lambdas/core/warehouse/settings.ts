import { TransformArgumentError } from './errors.ts';

/** Tunables of the model runner; defaults follow DESIGN sections 2 and 6. */
export interface TransformSettings {
  /** Minutes re-read before the watermark, for loads that committed late with an earlier loaded_at. */
  readonly overlapMinutes: number;
  /** Events whose event_ts is more than this before received_at are flagged is_late_beyond_window. */
  readonly lateWindowHours: number;
  /** A run's lock expires after this; longer than any run (the Lambda times out at 15 minutes). */
  readonly lockTtlMinutes: number;
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
  lockTtlMinutes: 20,
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
