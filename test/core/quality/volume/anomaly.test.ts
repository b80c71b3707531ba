import { assessVolume, median, type VolumeRule } from '#core/quality/volume/anomaly.ts';

const rule: VolumeRule = {
  zThreshold: 4.5,
  minTrainingPoints: 4,
  minRelativeChange: 0.5,
  minVolume: 50,
  zeroVolumeMinExpected: 20,
};
const steady = [1000, 1040, 980, 1010, 995, 1025, 970, 1005];

describe('assessVolume', () => {
  it('passes a count within the usual week-to-week variation', () => {
    const verdict = assessVolume(1060, steady, rule);
    expect(verdict).toMatchObject({ status: 'pass', reason: 'normal', expected: 1002.5, trainingPoints: 8 });
    expect(verdict.lower!).toBeLessThan(1060);
    expect(verdict.upper!).toBeGreaterThan(1060);
  });

  it('fails a 60 % drop as a drop with a negative z-score', () => {
    const verdict = assessVolume(400, steady, rule);
    expect(verdict).toMatchObject({ status: 'fail', reason: 'drop' });
    expect(verdict.z!).toBeLessThan(-4.5);
  });

  it('fails a threefold spike as a spike', () => {
    const verdict = assessVolume(3000, steady, rule);
    expect(verdict).toMatchObject({ status: 'fail', reason: 'spike' });
    expect(verdict.relativeChange).toBeCloseTo(1.99, 2);
  });

  it('never fails a change below the relative floor, however tight the baseline', () => {
    const tight = [100_000, 100_010, 99_995, 100_005, 100_000];
    const verdict = assessVolume(140_000, tight, rule);
    expect(Math.abs(verdict.z!)).toBeGreaterThan(4.5);
    expect(verdict.status).toBe('pass');
  });

  it('fails zero events when at least the zero-volume minimum was expected, whatever the spread', () => {
    const noisy = [25, 60, 21, 90, 22, 30];
    expect(assessVolume(0, noisy, rule)).toMatchObject({ status: 'fail', reason: 'zero', lower: 1 });
  });

  it('does not judge zero events when fewer than the zero-volume minimum were expected', () => {
    expect(assessVolume(0, [3, 5, 4, 2, 6], rule)).toMatchObject({ status: 'skipped', reason: 'low-volume' });
  });

  it('skips a series with fewer training points than the minimum', () => {
    expect(assessVolume(10, [1000, 1000, 1000], rule)).toMatchObject({
      status: 'skipped',
      reason: 'insufficient-training',
      expected: null,
      trainingPoints: 3,
    });
  });

  it('keeps its baseline when one training week was an outage', () => {
    const withOutage = [1000, 1040, 0, 1010, 995, 1025, 970, 1005];
    expect(assessVolume(400, withOutage, rule)).toMatchObject({
      status: 'fail',
      reason: 'drop',
      expected: 1002.5,
    });
    expect(assessVolume(1000, withOutage, rule).status).toBe('pass');
  });

  it('judges a spike out of a quiet series once it reaches the minimum volume', () => {
    expect(assessVolume(80, [8, 10, 12, 9, 11], rule)).toMatchObject({ status: 'fail', reason: 'spike' });
  });
});

describe('median', () => {
  it('takes the middle of an odd set and the mean of the middle pair of an even set', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('refuses an empty set', () => {
    expect(() => median([])).toThrow(RangeError);
  });
});
