/** Bounded exponential backoff with full jitter, for retrying throttled AWS calls. */
export interface BackoffPolicy {
  /** Attempts in all, the first included. */
  readonly maxAttempts: number;
  /** Ceiling of the first wait; doubles per retry. */
  readonly baseDelayMs: number;
  /** Ceiling of any single wait. */
  readonly maxDelayMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 2_000 };

/**
 * Wait before retry number `retry` (1 for the first retry): uniform in [0, min(max, base * 2^(retry-1))).
 * Full jitter spreads retries of many concurrent Lambdas instead of having them collide again.
 */
export const backoffDelayMs = (policy: BackoffPolicy, retry: number, random: () => number): number =>
  Math.floor(random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1)));

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
