import { sleep as realSleep, type Sleep } from './sleep.ts';

/**
 * How a failed call is tried again: bounded exponential backoff. The wait before retry n has the
 * ceiling `min(maxDelayMs, baseDelayMs * 2^(n-1))`; with full jitter (the default) it is drawn
 * uniformly below that ceiling, which spreads the retries of many callers hit by the same fault
 * instead of having them collide again.
 */
export interface RetryPolicy {
  /** Attempts in all, the first included; `Infinity` retries until the signal aborts. */
  readonly maxAttempts: number;
  /** Ceiling of the first wait; doubles per retry. */
  readonly baseDelayMs: number;
  /** Ceiling of any single wait. */
  readonly maxDelayMs: number;
  /** Gives up instead of waiting when the wait would end more than this many ms after the first attempt. */
  readonly maxTotalMs?: number;
  /**
   * `full`: uniform in [0, ceiling); `equal`: uniform in [ceiling / 2, ceiling), as many SDKs wait;
   * `none`: the ceiling itself, for a single loop that nothing else competes with. @default 'full'
   */
  readonly jitter?: 'full' | 'equal' | 'none';
}

/** The wait before retry number `retry` (1 for the first retry), in whole milliseconds. */
export const backoffDelay = (
  policy: RetryPolicy,
  retry: number,
  random: () => number = Math.random,
): number => {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  switch (policy.jitter ?? 'full') {
    case 'full':
      return Math.floor(random() * ceiling);
    case 'equal':
      return ceiling * (0.5 + random() / 2);
    case 'none':
      return ceiling;
  }
};

/**
 * The successive waits of a loop that is not one call retried (a consumer's batch loop, a worker
 * restarted after it died): `next()` after each failure, `reset()` after a success.
 */
export class Backoff {
  private retries = 0;

  constructor(
    private readonly policy: RetryPolicy,
    private readonly random: () => number = Math.random,
  ) {}

  /** The wait before the next retry; each call counts one more failure. */
  next(): number {
    this.retries += 1;
    return backoffDelay(this.policy, this.retries, this.random);
  }

  reset(): void {
    this.retries = 0;
  }
}

/**
 * Whether an error says that the same work may succeed if run again: it carries `retryable: true`
 * (the adapters' error families set it). Callers with other knowledge pass their own predicate.
 */
export const isRetryable = (error: unknown): boolean =>
  typeof error === 'object' && error !== null && (error as { retryable?: unknown }).retryable === true;

/** Told before each wait, so the caller can log or count retries. */
export interface RetryEvent<T> {
  /** The attempt that failed (1 for the first). */
  readonly attempt: number;
  readonly delayMs: number;
  /** What the attempt threw, if it threw. */
  readonly error?: unknown;
  /** What the attempt returned, if it returned something `retryWhen` wants retried. */
  readonly value?: T;
}

export interface RetryOptions<T> {
  readonly policy: RetryPolicy;
  /** Whether a thrown error is worth another attempt. @default {@link isRetryable} */
  readonly isRetryable?: (error: unknown) => boolean;
  /** Whether a returned value is a partial failure worth another attempt (e.g. records refused). */
  readonly retryWhen?: (value: T) => boolean;
  readonly onRetry?: (event: RetryEvent<T>) => void;
  /** Aborting stops the retries: no wait is finished and no attempt started after it. */
  readonly signal?: AbortSignal;
  /** @default {@link realSleep} */
  readonly sleep?: Sleep;
  /** Epoch ms, for `maxTotalMs`. @default Date */
  readonly clock?: { now(): number };
  /** Uniform in [0, 1), for jitter. @default Math.random */
  readonly random?: () => number;
}

/** What an attempt is told: its number (1 for the first) and what the previous one threw, if it threw. */
export interface AttemptContext {
  readonly attempt: number;
  readonly previousError: unknown;
}

/**
 * Runs `attempt` until it returns a value `retryWhen` accepts, throws an error that is not
 * retryable, the policy's attempts or time budget are spent, or the signal aborts. Then it returns
 * the last value (which may still be a partial failure: the caller decides what that means) or
 * throws the last error.
 */
export const retry = async <T>(
  attempt: (context: AttemptContext) => Promise<T>,
  options: RetryOptions<T>,
): Promise<T> => {
  const { policy, signal } = options;
  const retryable = options.isRetryable ?? isRetryable;
  const sleep = options.sleep ?? realSleep;
  const clock = options.clock ?? Date;
  const random = options.random ?? Math.random;
  const startedAt = clock.now();
  let previousError: unknown;
  for (let n = 1; ; n++) {
    let outcome: { value: T } | { error: unknown };
    try {
      const value = await attempt({ attempt: n, previousError });
      if (!options.retryWhen?.(value)) return value;
      outcome = { value };
    } catch (error) {
      if (!retryable(error)) throw error;
      outcome = { error };
    }
    const delayMs = backoffDelay(policy, n, random);
    const outOfTime =
      policy.maxTotalMs !== undefined && clock.now() - startedAt + delayMs > policy.maxTotalMs;
    if (n >= policy.maxAttempts || outOfTime || signal?.aborted) return settle(outcome);
    options.onRetry?.({ attempt: n, delayMs, ...outcome });
    await sleep(delayMs, signal);
    if (signal?.aborted) return settle(outcome);
    previousError = 'error' in outcome ? outcome.error : undefined;
  }
};

const settle = <T>(outcome: { value: T } | { error: unknown }): T => {
  if ('error' in outcome) throw outcome.error;
  return outcome.value;
};
