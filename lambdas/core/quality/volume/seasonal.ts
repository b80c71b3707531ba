import { assessVolume, type VolumeRule, type VolumeVerdict } from './anomaly.ts';

/** One count of one series (e.g. an event name on a platform) in one bucket (an hour or a day). */
export interface BucketCount {
  readonly series: string;
  /** Bucket start, epoch milliseconds UTC. */
  readonly bucketStart: number;
  readonly count: number;
}

/** The season of a volume check: bucket length, season length, and how many seasons back to learn from. */
export interface Season {
  readonly bucketMs: number;
  /** One week for both grains: same hour of the week (hourly), same weekday (daily). */
  readonly periodMs: number;
  /** Seasons back to take training points from (e.g. 8 weeks). */
  readonly trainingPeriods: number;
}

export interface TimeRange {
  readonly from: number;
  readonly to: number;
}

export interface SeriesVerdict {
  readonly series: string;
  readonly bucketStart: number;
  readonly training: readonly number[];
  readonly verdict: VolumeVerdict;
}

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;
export const WEEK_MS = 7 * DAY_MS;

/**
 * The last `buckets` complete buckets at `now`: a bucket is complete once its end is at least
 * `settleMs` in the past, so loads still in flight do not look like a drop.
 */
export const detectionWindow = (
  now: number,
  bucketMs: number,
  buckets: number,
  settleMs: number,
): TimeRange => {
  const to = Math.floor((now - settleMs) / bucketMs) * bucketMs;
  return { from: to - buckets * bucketMs, to };
};

/**
 * The ranges to count: the detection window itself, then the same window shifted back by one
 * season at a time. Querying only these keeps the scan to (trainingPeriods + 1) windows.
 */
export const rangesToCount = (detection: TimeRange, season: Season): TimeRange[] =>
  Array.from({ length: season.trainingPeriods + 1 }, (_, k) => ({
    from: detection.from - k * season.periodMs,
    to: detection.to - k * season.periodMs,
  }));

/**
 * Judges every series in every detection bucket against the same bucket of earlier seasons.
 *
 * - A series is every series seen in any counted range; a bucket without a row counted zero
 *   (so a platform that stops sending entirely is judged, not forgotten).
 * - Seasons older than the series' oldest non-zero point are not training points: the series
 *   did not exist yet, and its absence is not a baseline of zero.
 * - Training points never fall inside the detection window (the detection window is excluded
 *   from training even when it is longer than one season).
 */
export const judgeSeries = (
  counts: readonly BucketCount[],
  detection: TimeRange,
  season: Season,
  rule: VolumeRule,
): SeriesVerdict[] => {
  const bySeries = new Map<string, Map<number, number>>();
  for (const c of counts) {
    const buckets = bySeries.get(c.series) ?? new Map<number, number>();
    buckets.set(c.bucketStart, (buckets.get(c.bucketStart) ?? 0) + c.count);
    bySeries.set(c.series, buckets);
  }
  const verdicts: SeriesVerdict[] = [];
  for (const [series, buckets] of [...bySeries].sort(([a], [b]) => a.localeCompare(b))) {
    for (let start = detection.from; start < detection.to; start += season.bucketMs) {
      const offsets = Array.from(
        { length: season.trainingPeriods },
        (_, i) => start - (i + 1) * season.periodMs,
      );
      const eligible = offsets.filter((t) => t < detection.from);
      const oldestSeen = eligible.findLastIndex((t) => (buckets.get(t) ?? 0) > 0);
      const training = eligible.slice(0, oldestSeen + 1).map((t) => buckets.get(t) ?? 0);
      const observed = buckets.get(start) ?? 0;
      verdicts.push({
        series,
        bucketStart: start,
        training,
        verdict: assessVolume(observed, training, rule),
      });
    }
  }
  return verdicts;
};
