import type { VolumeRule } from './anomaly.ts';
import { DAY_MS, HOUR_MS, type Season, WEEK_MS } from './seasonal.ts';

/** Parameters of a volume check: the season, the detection window and the rule. */
export interface VolumeParams {
  readonly grain: 'hourly' | 'daily';
  readonly season: Season;
  /** How many of the latest complete buckets are judged each run. */
  readonly detectionBuckets: number;
  /** A bucket counts as complete once it ended this long ago (raw tables are < 2 min behind). */
  readonly settleMs: number;
  readonly rule: VolumeRule;
}

/**
 * What both grains share: the same hour or day of the week over the last 8 weeks (a verdict needs 4 of
 * them), the latest complete bucket judged once it ended 5 minutes ago.
 */
const sameSeasonOfWeek = (
  grain: VolumeParams['grain'],
  bucketMs: number,
  { zThreshold, minRelativeChange, minVolume, zeroVolumeMinExpected }: Omit<VolumeRule, 'minTrainingPoints'>,
): VolumeParams => ({
  grain,
  season: { bucketMs, periodMs: WEEK_MS, trainingPeriods: 8 },
  detectionBuckets: 1,
  settleMs: 5 * 60_000,
  rule: { zThreshold, minTrainingPoints: 4, minRelativeChange, minVolume, zeroVolumeMinExpected },
});

/**
 * Hourly: the same hour of the week over the last 8 weeks. Tuned on synthetic seasonal traffic
 * (diurnal curve, weekends at 35 %, 1 %/week growth, 6 % day-to-day swings, Poisson noise; see
 * test/core/quality/support/synthetic-traffic.ts): about 3 false alarms per 100,000 judged
 * series-hours, while a 60 % drop in hours of a few hundred events and a 3x spike fail. Hours
 * under 100 events (both observed and expected) are left to the daily check, except that an hour
 * with no event at all fails whenever 20 or more were expected.
 */
export const HOURLY_VOLUME: VolumeParams = sameSeasonOfWeek('hourly', HOUR_MS, {
  zThreshold: 4.5,
  minRelativeChange: 0.5,
  minVolume: 100,
  zeroVolumeMinExpected: 20,
});

/**
 * Daily: the same weekday over the last 8 weeks; a day is judged once it is complete. On the same
 * synthetic traffic about 5 false alarms per 10,000 series-days, every one of them a genuine 4-sigma
 * day swing of 35 % or more.
 */
export const DAILY_VOLUME: VolumeParams = sameSeasonOfWeek('daily', DAY_MS, {
  zThreshold: 4,
  minRelativeChange: 0.3,
  minVolume: 500,
  zeroVolumeMinExpected: 50,
});
