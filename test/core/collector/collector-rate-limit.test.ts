import { accepted, collectorHarness, IOS_KEY, post } from './support/harness.ts';
import { refusal } from './support/refusal.ts';

const batchOf = (n: number) => ({
  events: Array.from({ length: n }, () => ({ event_name: 'x', user_id: 'u' })),
});

describe('collector: per-source rate limit', () => {
  it('answers 429 RATE_LIMITED with the seconds until enough tokens refill', async () => {
    const { collector, stream } = collectorHarness({ rateLimit: { eventsPerSecond: 100, burstEvents: 500 } });
    await collector.collect(post('/v1/events', batchOf(500)));

    const error = await refusal(collector.collect(post('/v1/events', batchOf(250))));

    expect(error).toMatchObject({ httpStatus: 429, code: 'RATE_LIMITED', retryAfterSeconds: 3 });
    expect(stream.stored).toHaveLength(500);
  });

  it('accepts again once the bucket has refilled', async () => {
    const { collector, clock } = collectorHarness({ rateLimit: { eventsPerSecond: 100, burstEvents: 500 } });
    await collector.collect(post('/v1/events', batchOf(500)));

    clock.ms += 2_500;

    expect(accepted(await collector.collect(post('/v1/events', batchOf(250)))).received).toBe(250);
  });

  it('lets a request larger than the burst through when the bucket is full, then waits for the debt', async () => {
    const { collector, clock } = collectorHarness({ rateLimit: { eventsPerSecond: 100, burstEvents: 500 } });

    expect(accepted(await collector.collect(post('/v1/events', batchOf(800)))).received).toBe(800);
    const error = await refusal(collector.collect(post('/v1/events', batchOf(1))));

    // 300 events of debt plus the one asked for, at 100/s
    expect(error).toMatchObject({ httpStatus: 429, retryAfterSeconds: 4 });
    clock.ms += 8_000;
    expect(accepted(await collector.collect(post('/v1/events', batchOf(800)))).received).toBe(800);
  });

  it('keeps one bucket per source', async () => {
    const { collector } = collectorHarness({ rateLimit: { eventsPerSecond: 100, burstEvents: 500 } });
    await collector.collect(post('/v1/events', batchOf(500)));

    const outcome = await collector.collect(post('/v1/events', batchOf(500), { key: IOS_KEY }));

    expect(accepted(outcome).sourceId).toBe('ios');
  });
});
