/**
 * The volume-anomaly decision for one series at one bucket: is `observed` unusual given the
 * counts of the same bucket of the season (same hour of the week, or same weekday) in earlier
 * weeks? Pure arithmetic, so the rule can be read and tested without a warehouse.
 *
 * The baseline is robust (median and MAD) so one bad week in the training set, an outage or a
 * launch, neither hides the next anomaly nor raises a false one. Counts are never less noisy
 * than a Poisson process, so the spread is floored at the square root of the expected count, and
 * it is widened by sqrt(1 + pi / 2n) because the median of n points is itself uncertain (a
 * prediction interval, not a confidence interval: with 4 to 8 weeks of training this matters).
 */

/** Tuning of the rule; every field is a declared parameter of the volume checks. */
export interface VolumeRule {
  /** Alarm only when |observed - expected| is at least this many spreads (both directions). */
  readonly zThreshold: number;
  /** Fewer same-season points than this and the bucket is not judged (status `skipped`). */
  readonly minTrainingPoints: number;
  /** Changes smaller than this fraction of the expected count never alarm, however small the spread. */
  readonly minRelativeChange: number;
  /** When neither the observed nor the expected count reaches this, the bucket is too small to judge. */
  readonly minVolume: number;
  /** A bucket with no events at all fails whenever the expected count is at least this (the zero-volume rule). */
  readonly zeroVolumeMinExpected: number;
}

export type VolumeReason = 'normal' | 'spike' | 'drop' | 'zero' | 'insufficient-training' | 'low-volume';

export interface VolumeVerdict {
  readonly status: 'pass' | 'fail' | 'skipped';
  readonly reason: VolumeReason;
  readonly observed: number;
  /** Median of the training points (null when there are too few). */
  readonly expected: number | null;
  /** Robust spread used for the z-score. */
  readonly sigma: number | null;
  readonly z: number | null;
  /** (observed - expected) / expected; null without a baseline. */
  readonly relativeChange: number | null;
  /** The observed count passes when lower <= observed <= upper. */
  readonly lower: number | null;
  readonly upper: number | null;
  readonly trainingPoints: number;
}

/** 1.4826 * MAD estimates the standard deviation of normally distributed data. */
const MAD_TO_SIGMA = 1.4826;

export const median = (values: readonly number[]): number => {
  if (values.length === 0) throw new RangeError('median of an empty set');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/**
 * Judges one observed count against its same-season training counts.
 *
 * Pass band: lower = min(expected - z*sigma, expected*(1 - floor)), upper = max(expected + z*sigma,
 * expected*(1 + floor)), i.e. a bucket fails only when it is both statistically unusual and a
 * material change. The zero-volume rule raises `lower` to 1 when enough events were expected.
 */
export const assessVolume = (
  observed: number,
  training: readonly number[],
  rule: VolumeRule,
): VolumeVerdict => {
  if (training.length < rule.minTrainingPoints) {
    return {
      status: 'skipped',
      reason: 'insufficient-training',
      observed,
      expected: null,
      sigma: null,
      z: null,
      relativeChange: null,
      lower: null,
      upper: null,
      trainingPoints: training.length,
    };
  }
  const expected = median(training);
  const mad = median(training.map((v) => Math.abs(v - expected)));
  const spread = Math.max(MAD_TO_SIGMA * mad, Math.sqrt(expected), 1);
  const sigma = spread * Math.sqrt(1 + Math.PI / (2 * training.length));
  const z = (observed - expected) / sigma;
  const relativeChange =
    expected > 0 ? (observed - expected) / expected : observed > 0 ? Number.POSITIVE_INFINITY : 0;
  let lower = Math.max(
    0,
    Math.min(expected - rule.zThreshold * sigma, expected * (1 - rule.minRelativeChange)),
  );
  const upper = Math.max(expected + rule.zThreshold * sigma, expected * (1 + rule.minRelativeChange));
  const zeroRule = expected >= rule.zeroVolumeMinExpected;
  if (zeroRule) lower = Math.max(lower, 1);
  const base = {
    observed,
    expected,
    sigma,
    z,
    relativeChange,
    lower,
    upper,
    trainingPoints: training.length,
  };

  if (observed === 0 && zeroRule) return { ...base, status: 'fail', reason: 'zero' };
  if (Math.max(observed, expected) < rule.minVolume)
    return { ...base, status: 'skipped', reason: 'low-volume' };
  if (observed > upper) return { ...base, status: 'fail', reason: 'spike' };
  if (observed < lower) return { ...base, status: 'fail', reason: 'drop' };
  return { ...base, status: 'pass', reason: 'normal' };
};
