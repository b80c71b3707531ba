import { sleep } from '#core/retry/sleep.ts';

describe('sleep', () => {
  it('resolves after the wait', async () => {
    const started = performance.now();

    await sleep(20);

    // timers may fire a millisecond early on some platforms; never much earlier
    expect(performance.now() - started).toBeGreaterThanOrEqual(15);
  });

  it('resolves early, without an error, when its signal aborts', async () => {
    const stop = new AbortController();
    const waiting = sleep(600_000, stop.signal);

    stop.abort();

    await expect(waiting).resolves.toBeUndefined();
  });

  it('does not wait at all with an aborted signal or a wait of zero or less', async () => {
    await expect(sleep(600_000, AbortSignal.abort())).resolves.toBeUndefined();
    await expect(sleep(-5)).resolves.toBeUndefined();
  });
});

describe('sleep with ref: false', () => {
  const activeTimers = (): number => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

  it('does not keep the process alive while it waits, and still ends on abort', async () => {
    const stop = new AbortController();
    const before = activeTimers();

    const waiting = sleep(600_000, stop.signal, { ref: false });
    const unrefCount = activeTimers();
    const held = sleep(600_000, stop.signal);
    const refCount = activeTimers();
    stop.abort();

    expect(unrefCount).toBe(before);
    expect(refCount).toBe(before + 1);
    await expect(Promise.all([waiting, held])).resolves.toEqual([undefined, undefined]);
  });
});
