import { ErasureConfigError } from './errors.ts';

/** Tunables of the erasure; defaults follow DESIGN section 2 (erasure within 30 days). */
export interface ErasureSettings {
  /** A request is due this many days after it is received. */
  readonly dueDays: number;
  /** A request still open this many days after receipt counts as overdue (metric ErasureOverdueRequests). */
  readonly overdueDays: number;
  /**
   * Days of recent dt= partitions scanned besides the subject's activity: objects that may not be loaded
   * yet (queued) hold events the warehouse does not know of. 2 covers today and yesterday.
   */
  readonly recentDays: number;
  /** Verification passes that find something left before the request is reported stuck (it keeps retrying). */
  readonly maxVerifyPasses: number;
  /** The erasure lock expires after this (longer than a run: the Lambda times out at 15 minutes). */
  readonly lockTtlMinutes: number;
  /** Minutes the sweep re-reads before its last watermark, for loads that committed late. */
  readonly sweepOverlapMinutes: number;
}

export const DEFAULT_ERASURE_SETTINGS: ErasureSettings = {
  dueDays: 30,
  // a week before day 22, the last day an erasure can complete for Snowflake's own copies (1 day of Time
  // Travel, 7 of Fail-safe) to be gone by day 30 (docs/ERASURE.md)
  overdueDays: 15,
  recentDays: 2,
  maxVerifyPasses: 3,
  lockTtlMinutes: 20,
  sweepOverlapMinutes: 10,
};

/** Defaults overlaid with `overrides`; every value a positive integer and overdue before due (all problems at once). */
export const resolveErasureSettings = (overrides: Partial<ErasureSettings> = {}): ErasureSettings => {
  const settings = { ...DEFAULT_ERASURE_SETTINGS, ...overrides };
  const problems = Object.entries(settings)
    .filter(([, value]) => !Number.isInteger(value) || value <= 0)
    .map(([key, value]) => `${key} must be a positive integer, got ${JSON.stringify(value)}`);
  if (settings.overdueDays >= settings.dueDays) {
    problems.push(`overdueDays (${settings.overdueDays}) must be less than dueDays (${settings.dueDays})`);
  }
  if (problems.length > 0) throw new ErasureConfigError(problems);
  return settings;
};
