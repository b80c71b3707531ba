import { Backoff, backoffDelay, isRetryable, type RetryEvent, retry } from '#core/retry/retry.ts';

/** A sleep that records its waits and returns at once, and a clock that the waits move. */
const fakeTime = () => {
  let now = 1_000;
  const sleeps: number[] = [];
  return {
    sleeps,
    clock: { now: () => now },
    sleep: async (ms: number) => {
      sleeps.push(ms);
      now += ms;
    },
  };
};

const retryableError = (message: string) => Object.assign(new Error(message), { retryable: true });

describe('backoffDelay', () => {
  it('doubles the ceiling of each retry until the maximum', () => {
    const policy = { maxAttempts: 6, baseDelayMs: 100, maxDelayMs: 500 };
    const ceilings = [1, 2, 3, 4, 5].map((n) => backoffDelay(policy, n, () => 0.999_999));

    expect(ceilings).toEqual([99, 199, 399, 499, 499]);
  });

  it('draws the wait uniformly below the ceiling (full jitter)', () => {
    const policy = { maxAttempts: 6, baseDelayMs: 100, maxDelayMs: 500 };

    expect(backoffDelay(policy, 3, () => 0)).toBe(0);
    expect(backoffDelay(policy, 3, () => 0.25)).toBe(100);
  });

  it('draws each wait uniformly below a ceiling that doubles per retry up to the cap', () => {
    const policy = { maxAttempts: 6, baseDelayMs: 100, maxDelayMs: 1_000 };
    const ceilings = [1, 2, 3, 4, 5].map((n) => backoffDelay(policy, n, () => 0.999_999));

    expect(ceilings).toEqual([99, 199, 399, 799, 999]);
    expect(backoffDelay(policy, 3, () => 0)).toBe(0);
  });

  it('waits between half the ceiling and the ceiling with equal jitter', () => {
    const policy = { maxAttempts: 9, baseDelayMs: 200, maxDelayMs: 5_000, jitter: 'equal' as const };

    expect(backoffDelay(policy, 1, () => 0)).toBe(100);
    expect(backoffDelay(policy, 6, () => 0.5)).toBe(3_750);
  });

  it('waits the ceiling itself without jitter', () => {
    const policy = { maxAttempts: 9, baseDelayMs: 100, maxDelayMs: 5_000, jitter: 'none' as const };

    expect([1, 2, 3, 7].map((n) => backoffDelay(policy, n))).toEqual([100, 200, 400, 5_000]);
  });
});

describe('Backoff', () => {
  it('grows with each failure and starts again after a reset', () => {
    const backoff = new Backoff({
      maxAttempts: Infinity,
      baseDelayMs: 1_000,
      maxDelayMs: 30_000,
      jitter: 'none',
    });

    const first = [backoff.next(), backoff.next(), backoff.next()];
    backoff.reset();

    expect([...first, backoff.next()]).toEqual([1_000, 2_000, 4_000, 1_000]);
  });
});

describe('isRetryable', () => {
  it('trusts an error that says it is retryable, and nothing else', () => {
    expect(isRetryable(retryableError('network'))).toBe(true);
    expect(isRetryable(Object.assign(new Error('syntax'), { retryable: false }))).toBe(false);
    expect(isRetryable(new Error('plain'))).toBe(false);
    expect(isRetryable('retryable')).toBe(false);
  });
});

describe('retry', () => {
  const policy = { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 1_000 };

  it('returns the first success, waiting with full jitter between failed attempts', async () => {
    const time = fakeTime();
    let calls = 0;

    const result = await retry(
      async () => {
        calls += 1;
        if (calls < 3) throw retryableError(`failure ${calls}`);
        return 'done';
      },
      { policy, ...time, random: () => 0.5 },
    );

    expect([result, calls, time.sleeps]).toEqual(['done', 3, [50, 100]]);
  });

  it('throws an error that is not retryable at once', async () => {
    const time = fakeTime();
    const fatal = new Error('access denied');
    let calls = 0;

    const run = retry(
      async () => {
        calls += 1;
        throw fatal;
      },
      { policy, ...time },
    );

    await expect(run).rejects.toBe(fatal);
    expect([calls, time.sleeps]).toEqual([1, []]);
  });

  it('throws the last error once the attempts are spent', async () => {
    const time = fakeTime();
    let calls = 0;

    const run = retry(
      async () => {
        calls += 1;
        throw retryableError(`failure ${calls}`);
      },
      { policy, ...time, random: () => 0.5 },
    );

    await expect(run).rejects.toThrow('failure 4');
    expect([calls, time.sleeps]).toEqual([4, [50, 100, 200]]);
  });

  it('uses the caller’s predicate instead of the retryable flag', async () => {
    const time = fakeTime();
    let calls = 0;

    const result = await retry(
      async () => {
        calls += 1;
        if (calls === 1) throw new Error('ThrottlingException');
        return calls;
      },
      { policy, ...time, isRetryable: (error) => (error as Error).message === 'ThrottlingException' },
    );

    expect(result).toBe(2);
  });

  it('retries a partial failure that retryWhen picks out, and returns the last one when the attempts are spent', async () => {
    const time = fakeTime();
    const refused = [[1, 2, 3], [2, 3], [3], [3]];
    let calls = 0;

    const result = await retry(async () => refused[calls++] ?? [], {
      policy,
      ...time,
      retryWhen: (failed) => failed.length > 0,
    });

    expect([result, calls]).toEqual([[3], 4]);
  });

  it('stops before a wait that would end past the time budget', async () => {
    const time = fakeTime();
    let calls = 0;

    const run = retry(
      async () => {
        calls += 1;
        throw retryableError('busy');
      },
      {
        policy: { maxAttempts: 10, baseDelayMs: 400, maxDelayMs: 400, maxTotalMs: 500 },
        ...time,
        random: () => 0.5,
      },
    );

    await expect(run).rejects.toThrow('busy');
    expect([calls, time.sleeps]).toEqual([3, [200, 200]]);
  });

  it('tells onRetry about each failed attempt before its wait', async () => {
    const time = fakeTime();
    const events: RetryEvent<number>[] = [];
    let calls = 0;

    await retry(
      async () => {
        calls += 1;
        if (calls === 1) throw retryableError('lost');
        return calls === 2 ? -1 : 0;
      },
      { policy, ...time, random: () => 0.5, retryWhen: (v) => v < 0, onRetry: (e) => events.push(e) },
    );

    expect(events).toEqual([
      { attempt: 1, delayMs: 50, error: expect.objectContaining({ message: 'lost' }) },
      { attempt: 2, delayMs: 100, value: -1 },
    ]);
  });

  it('gives each attempt the error of the previous one', async () => {
    const time = fakeTime();
    const seen: unknown[] = [];

    await retry(
      async ({ attempt, previousError }) => {
        seen.push(previousError === undefined ? undefined : (previousError as Error).message);
        if (attempt < 3) throw retryableError(`failure ${attempt}`);
      },
      { policy, ...time },
    );

    expect(seen).toEqual([undefined, 'failure 1', 'failure 2']);
  });

  it('retries without end until the signal aborts, then throws the last error without another attempt', async () => {
    const stop = new AbortController();
    let calls = 0;

    const run = retry(
      async () => {
        calls += 1;
        if (calls === 5) stop.abort();
        throw retryableError(`failure ${calls}`);
      },
      { policy: { maxAttempts: Infinity, baseDelayMs: 1, maxDelayMs: 1 }, signal: stop.signal },
    );

    await expect(run).rejects.toThrow('failure 5');
    expect(calls).toBe(5);
  });

  it('ends a wait in progress when the signal aborts', async () => {
    const stop = new AbortController();
    let calls = 0;

    const run = retry(
      async () => {
        calls += 1;
        return 'busy';
      },
      {
        policy: { maxAttempts: Infinity, baseDelayMs: 600_000, maxDelayMs: 600_000, jitter: 'none' },
        retryWhen: () => true,
        onRetry: () => setImmediate(() => stop.abort()),
        signal: stop.signal,
      },
    );

    await expect(run).resolves.toBe('busy');
    expect(calls).toBe(1);
  });
});
