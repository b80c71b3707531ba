import { DAILY_VOLUME, HOURLY_VOLUME, type VolumeParams } from '#core/quality/volume/defaults.ts';
import {
  type BucketCount,
  HOUR_MS,
  judgeSeries,
  type SeriesVerdict,
  WEEK_MS,
} from '#core/quality/volume/seasonal.ts';
import { dailyTotals, hourlyTraffic, type SeriesProfile } from '../support/synthetic-traffic.ts';

/** Three event names on four platforms, at volumes a mid-sized customer sends per hour at the weekday peak. */
const profiles: SeriesProfile[] = [
  ['feature_used', 1],
  ['page_viewed', 2.5],
  ['signup_completed', 0.05],
].flatMap(([event, factor]) =>
  (
    [
      ['web', 4000],
      ['ios', 1500],
      ['android', 1200],
      ['backend', 400],
    ] as const
  ).map(([platform, peak]) => ({ series: `${event}|${platform}`, peakPerHour: peak * Number(factor) })),
);

const start = Date.UTC(2024, 0, 1); // a Monday
const weeks = 10; // 8 weeks of training before the 2 weeks judged
const judged = { from: start + (weeks - 2) * WEEK_MS, to: start + weeks * WEEK_MS };
const isWeekend = (t: number) => [0, 6].includes(new Date(t).getUTCDay());

const judge = (counts: readonly BucketCount[], params: VolumeParams, window = judged): SeriesVerdict[] =>
  judgeSeries(counts, window, params.season, params.rule);

const scaled = (counts: readonly BucketCount[], matches: (c: BucketCount) => boolean, factor: number) =>
  counts.map((c) => (matches(c) ? { ...c, count: Math.round(c.count * factor) } : c));

describe.each([11, 23, 47])('two weeks of normal seasonal traffic (seed %i)', (seed) => {
  const hourly = hourlyTraffic(profiles, start, weeks * 168, seed);

  it('raises no hourly alarm, weekends included', () => {
    const verdicts = judge(hourly, HOURLY_VOLUME);
    const weekendJudged = verdicts.filter((v) => isWeekend(v.bucketStart) && v.verdict.status === 'pass');
    expect(verdicts.filter((v) => v.verdict.status === 'fail')).toEqual([]);
    expect(weekendJudged.length).toBeGreaterThan(300);
  });

  it('raises no daily alarm, weekends included', () => {
    const verdicts = judge(dailyTotals(hourly), DAILY_VOLUME);
    expect(verdicts.filter((v) => v.verdict.status === 'fail')).toEqual([]);
    expect(
      verdicts.filter((v) => isWeekend(v.bucketStart) && v.verdict.status === 'pass').length,
    ).toBeGreaterThanOrEqual(36);
  });
});

describe('injected volume faults', () => {
  const hourly = hourlyTraffic(profiles, start, weeks * 168, 11);
  const tuesday15h = start + (weeks - 1) * WEEK_MS + 24 * HOUR_MS + 15 * HOUR_MS;
  const saturday11h = start + (weeks - 1) * WEEK_MS + 5 * 24 * HOUR_MS + 11 * HOUR_MS;
  const hourWindow = (t: number) => ({ from: t, to: t + HOUR_MS });

  it('catches a 60 % drop of one platform in an hour, and only on that platform', () => {
    const dropped = scaled(hourly, (c) => c.bucketStart === tuesday15h && c.series.endsWith('|ios'), 0.4);
    const verdicts = judge(dropped, HOURLY_VOLUME, hourWindow(tuesday15h));
    const failing = verdicts.filter((v) => v.verdict.status === 'fail');
    expect(failing.map((v) => [v.series, v.verdict.reason])).toEqual([
      ['feature_used|ios', 'drop'],
      ['page_viewed|ios', 'drop'],
    ]);
  });

  it('leaves an hour under the minimum volume to the daily check', () => {
    const dropped = scaled(hourly, (c) => c.bucketStart === tuesday15h && c.series.endsWith('|ios'), 0.4);
    const small = judge(dropped, HOURLY_VOLUME, hourWindow(tuesday15h)).find(
      (v) => v.series === 'signup_completed|ios',
    );
    expect(small!.verdict).toMatchObject({ status: 'skipped', reason: 'low-volume' });
  });

  it('catches a 60 % drop of one platform over a whole day', () => {
    const day = start + (weeks - 1) * WEEK_MS + 2 * 24 * HOUR_MS;
    const inDay = (c: BucketCount) => c.bucketStart >= day && c.bucketStart < day + 24 * HOUR_MS;
    const dropped = scaled(hourly, (c) => inDay(c) && c.series.endsWith('|android'), 0.4);
    const verdicts = judge(dailyTotals(dropped), DAILY_VOLUME, { from: day, to: day + 24 * HOUR_MS });
    expect(verdicts.filter((v) => v.verdict.status === 'fail').map((v) => v.series)).toEqual([
      'feature_used|android',
      'page_viewed|android',
      'signup_completed|android',
    ]);
  });

  it('catches a threefold spike of one event on a Saturday', () => {
    const spiked = scaled(hourly, (c) => c.bucketStart === saturday11h && c.series === 'feature_used|web', 3);
    const verdicts = judge(spiked, HOURLY_VOLUME, hourWindow(saturday11h));
    expect(
      verdicts.filter((v) => v.verdict.status === 'fail').map((v) => [v.series, v.verdict.reason]),
    ).toEqual([['feature_used|web', 'spike']]);
  });

  it('catches a platform that stops sending altogether', () => {
    const silent = hourly.filter((c) => !(c.bucketStart === tuesday15h && c.series.endsWith('|backend')));
    const verdicts = judge(silent, HOURLY_VOLUME, hourWindow(tuesday15h));
    expect(
      verdicts.filter((v) => v.verdict.status === 'fail').map((v) => [v.series, v.verdict.reason]),
    ).toEqual([
      ['feature_used|backend', 'zero'],
      ['page_viewed|backend', 'zero'],
      ['signup_completed|backend', 'zero'],
    ]);
  });
});
