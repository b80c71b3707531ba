import { backoffDelayMs } from '#adapters/aws/backoff.ts';

const policy = { maxAttempts: 6, baseDelayMs: 100, maxDelayMs: 500 };

describe('backoffDelayMs', () => {
  it('doubles the ceiling of each retry until the maximum', () => {
    const ceilings = [1, 2, 3, 4, 5].map((retry) => backoffDelayMs(policy, retry, () => 0.999_999));

    expect(ceilings).toEqual([99, 199, 399, 499, 499]);
  });

  it('draws the wait uniformly below the ceiling (full jitter)', () => {
    expect(backoffDelayMs(policy, 3, () => 0)).toBe(0);
    expect(backoffDelayMs(policy, 3, () => 0.25)).toBe(100);
  });
});
