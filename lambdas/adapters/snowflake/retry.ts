import { SnowflakeError } from './errors.ts';

/** Bounded exponential backoff with full jitter. */
export interface RetryPolicy {
  /** Attempts in all, the first included. */
  readonly maxAttempts: number;
  /** Ceiling of the first wait; doubles per retry. */
  readonly baseDelayMs: number;
  /** Ceiling of any single wait. */
  readonly maxDelayMs: number;
}

/** The driver has already retried each request for a while; these are a few slower attempts on top. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 4, baseDelayMs: 500, maxDelayMs: 8_000 };

/** Told before each wait, so the caller can log or count retries. */
export interface RetryEvent {
  /** The attempt that failed (1 for the first). */
  readonly attempt: number;
  readonly delayMs: number;
  readonly error: SnowflakeError;
}

export interface RetryDeps {
  readonly sleep: (ms: number) => Promise<void>;
  /** Uniform in [0, 1); Math.random in production. */
  readonly random: () => number;
  readonly onRetry?: ((event: RetryEvent) => void) | undefined;
}

/** Wait before retry number `retry` (1 for the first): uniform in [0, min(max, base * 2^(retry-1))). */
export const retryDelayMs = (policy: RetryPolicy, retry: number, random: () => number): number =>
  Math.floor(random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1)));

/**
 * Runs `attempt` until it succeeds, throws something that is not a retryable SnowflakeError, or the policy's
 * attempts are spent; then rethrows the last error. `attempt` receives the previous failure, if any.
 */
export const withRetries = async <T>(
  policy: RetryPolicy,
  deps: RetryDeps,
  attempt: (previous: SnowflakeError | undefined) => Promise<T>,
): Promise<T> => {
  let previous: SnowflakeError | undefined;
  for (let n = 1; ; n++) {
    try {
      return await attempt(previous);
    } catch (error) {
      if (!(error instanceof SnowflakeError) || !error.retryable || n >= policy.maxAttempts) throw error;
      const delayMs = retryDelayMs(policy, n, deps.random);
      deps.onRetry?.({ attempt: n, delayMs, error });
      await deps.sleep(delayMs);
      previous = error;
    }
  }
};

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
