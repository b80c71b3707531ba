import type { VolumeRule } from '#core/quality/volume/anomaly.ts';
import {
  type BucketCount,
  detectionWindow,
  HOUR_MS,
  judgeSeries,
  rangesToCount,
  WEEK_MS,
} from '#core/quality/volume/seasonal.ts';

const rule: VolumeRule = {
  zThreshold: 4.5,
  minTrainingPoints: 4,
  minRelativeChange: 0.5,
  minVolume: 50,
  zeroVolumeMinExpected: 20,
};
const season = { bucketMs: HOUR_MS, periodMs: WEEK_MS, trainingPeriods: 8 };
const monday14h = Date.UTC(2024, 2, 4, 14);
const detection = { from: monday14h, to: monday14h + HOUR_MS };
const weeksBack = (k: number) => monday14h - k * WEEK_MS;
const counts = (series: string, values: Record<number, number>): BucketCount[] =>
  Object.entries(values).map(([k, count]) => ({ series, bucketStart: weeksBack(Number(k)), count }));

describe('detectionWindow', () => {
  it('ends at the last bucket boundary that is at least the settle time in the past', () => {
    const now = Date.UTC(2024, 2, 4, 15, 4);
    expect(detectionWindow(now, HOUR_MS, 1, 5 * 60_000)).toEqual({
      from: Date.UTC(2024, 2, 4, 13),
      to: Date.UTC(2024, 2, 4, 14),
    });
    expect(detectionWindow(Date.UTC(2024, 2, 4, 15, 5), HOUR_MS, 2, 5 * 60_000)).toEqual({
      from: Date.UTC(2024, 2, 4, 13),
      to: Date.UTC(2024, 2, 4, 15),
    });
  });
});

describe('rangesToCount', () => {
  it('counts the detection window and the same window in each training week, newest first', () => {
    const ranges = rangesToCount(detection, { ...season, trainingPeriods: 2 });
    expect(ranges).toEqual([
      { from: monday14h, to: monday14h + HOUR_MS },
      { from: weeksBack(1), to: weeksBack(1) + HOUR_MS },
      { from: weeksBack(2), to: weeksBack(2) + HOUR_MS },
    ]);
  });
});

describe('judgeSeries', () => {
  it('judges a series that sent nothing in the detection bucket as zero volume', () => {
    const input = counts('feature_used|ios', { 1: 300, 2: 310, 3: 290, 4: 305 });
    const [verdict] = judgeSeries(input, detection, season, rule);
    expect(verdict).toMatchObject({
      series: 'feature_used|ios',
      bucketStart: monday14h,
      training: [300, 310, 290, 305],
    });
    expect(verdict!.verdict).toMatchObject({ status: 'fail', reason: 'zero', observed: 0 });
  });

  it('does not count weeks before a series first appeared as zero-volume training', () => {
    const input = counts('new_event|web', { 0: 500, 1: 480, 2: 510 });
    const [verdict] = judgeSeries(input, detection, season, rule);
    expect(verdict!.training).toEqual([480, 510]);
    expect(verdict!.verdict.status).toBe('skipped');
  });

  it('counts a silent week after a series appeared as a zero training point', () => {
    const input = counts('feature_used|web', { 0: 500, 1: 480, 2: 0, 3: 505, 4: 495 });
    const [verdict] = judgeSeries(input, detection, season, rule);
    expect(verdict!.training).toEqual([480, 0, 505, 495]);
    expect(verdict!.verdict.status).toBe('pass');
  });

  it('never trains on buckets inside the detection window, even when it spans more than a week', () => {
    const wide = { from: weeksBack(1), to: monday14h + HOUR_MS };
    const input = counts('feature_used|web', { 0: 9000, 1: 100, 2: 100, 3: 100, 4: 100, 5: 100 });
    const latest = judgeSeries(input, wide, season, rule).find((v) => v.bucketStart === monday14h);
    expect(latest!.training).toEqual([100, 100, 100, 100]);
    expect(latest!.verdict).toMatchObject({ status: 'fail', reason: 'spike' });
  });

  it('adds up counts of the same series and bucket', () => {
    const input = [
      ...counts('feature_used|web', { 1: 100, 2: 100, 3: 100, 4: 100 }),
      ...counts('feature_used|web', { 0: 60, 1: 0 }),
      ...counts('feature_used|web', { 0: 40 }),
    ];
    const [verdict] = judgeSeries(input, detection, season, rule);
    expect(verdict!.verdict).toMatchObject({ observed: 100, status: 'pass' });
  });
});
