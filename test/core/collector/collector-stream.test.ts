import { accepted, collectorHarness, post } from './support/harness.ts';
import { refusal } from './support/refusal.ts';

const events = Array.from({ length: 5 }, (_, i) => ({ event_id: `e-${i}`, event_name: 'x', user_id: 'u' }));

describe('collector: stream writes', () => {
  it('retries only the records a partial failure refused, then answers accepted', async () => {
    const { collector, stream } = collectorHarness();
    stream.failOnCall(1, [1, 3]);

    const outcome = accepted(await collector.collect(post('/v1/events', { events })));

    expect(outcome.streamAttempts).toBe(2);
    expect(stream.calls.map((call) => call.map((r) => r.partitionKey))).toEqual([
      ['e-0', 'e-1', 'e-2', 'e-3', 'e-4'],
      ['e-1', 'e-3'],
    ]);
    expect(stream.stored.map((r) => r.partitionKey).sort()).toEqual(['e-0', 'e-1', 'e-2', 'e-3', 'e-4']);
  });

  it('backs off exponentially with jitter between attempts', async () => {
    const { collector, stream, sleeps } = collectorHarness();
    stream.failOnCall(1, [0]).failOnCall(2, [0]).failOnCall(3, [0]);

    await collector.collect(post('/v1/events', { events }));

    // random() = 0.5 of min(1000, 50 * 2^(n-1)): 25, 50, 100.
    expect(sleeps).toEqual([25, 50, 100]);
  });

  it('answers 503 STREAM_UNAVAILABLE with Retry-After when the stream keeps refusing, after the attempt budget', async () => {
    const { collector, stream } = collectorHarness();
    stream.failAlways();

    const error = await refusal(collector.collect(post('/v1/events', { events })));

    expect(error).toMatchObject({ httpStatus: 503, code: 'STREAM_UNAVAILABLE', retryAfterSeconds: 2 });
    expect(stream.calls).toHaveLength(4);
  });

  it('answers 503 when one record stays refused even though the others were stored', async () => {
    const { collector, stream } = collectorHarness();
    for (let call = 1; call <= 4; call++) stream.failOnCall(call, [0]);

    const error = await refusal(collector.collect(post('/v1/events', { events })));

    expect(error).toMatchObject({ code: 'STREAM_UNAVAILABLE', failedCount: 1 });
  });

  it('stops retrying when the next wait would pass the total time budget', async () => {
    const { collector, stream, sleeps } = collectorHarness({
      streamRetry: { maxAttempts: 10, baseDelayMs: 400, maxDelayMs: 400, maxTotalMs: 500 },
    });
    stream.failAlways();

    await refusal(collector.collect(post('/v1/events', { events })));

    // Waits of 200 ms each: after two the third would end past 500 ms.
    expect(sleeps).toEqual([200, 200]);
    expect(stream.calls).toHaveLength(3);
  });

  it('answers 503 at once, without retrying, when the stream throws', async () => {
    const { collector, stream } = collectorHarness();
    const failure = new Error('ResourceNotFoundException');
    stream.throwOnCall(1, failure);

    const error = await refusal(collector.collect(post('/v1/events', { events })));

    expect(error).toMatchObject({ httpStatus: 503, code: 'STREAM_UNAVAILABLE' });
    expect(error.cause).toBe(failure);
    expect(stream.calls).toHaveLength(1);
  });

  it('sends 1,200 events in calls of 500 and retries refused records of any call once each', async () => {
    const { collector, stream } = collectorHarness();
    const many = Array.from({ length: 1_200 }, (_, i) => ({
      event_id: `e-${i}`,
      event_name: 'x',
      user_id: 'u',
    }));
    stream.failOnCall(1, [0, 499]).failOnCall(3, [199]);

    const outcome = accepted(await collector.collect(post('/v1/events', { events: many })));

    expect(outcome).toMatchObject({ received: 1_200, streamAttempts: 2 });
    expect(stream.calls.map((call) => call.length)).toEqual([500, 500, 200, 3]);
    expect(stream.calls[3]?.map((r) => r.partitionKey)).toEqual(['e-0', 'e-499', 'e-1199']);
    const stored = stream.stored.map((r) => r.partitionKey);
    expect(new Set(stored).size).toBe(1_200);
    expect(stored).toHaveLength(1_200);
  });

  it('splits records into calls of at most maxRecordsPerPut', async () => {
    const { collector, stream } = collectorHarness({ streamRetry: { maxRecordsPerPut: 2 } });

    await collector.collect(post('/v1/events', { events }));

    expect(stream.calls.map((c) => c.length)).toEqual([2, 2, 1]);
  });

  it('splits records into calls of at most maxBytesPerPut', async () => {
    const { collector, stream } = collectorHarness({ streamRetry: { maxBytesPerPut: 1024 * 1024 } });
    const padding = 'p'.repeat(30 * 1024);
    const context = { padding };
    const batch = Array.from({ length: 40 }, () => ({ type: 'page', userId: 'u' }));

    await collector.collect(post('/v1/batch', { batch, context }));

    // Each record carries the 30 KiB batch context: 33 records fit in 1 MiB.
    expect(stream.calls.map((c) => c.length)).toEqual([33, 7]);
    for (const call of stream.calls) {
      expect(call.reduce((sum, r) => sum + r.data.length + r.partitionKey.length, 0)).toBeLessThanOrEqual(
        1024 * 1024,
      );
    }
  });
});
