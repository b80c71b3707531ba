import { accepted, basic, collectorHarness, IOS_KEY, post, WEB_KEY } from './support/harness.ts';
import { refusal } from './support/refusal.ts';

const event = { event_name: 'x', user_id: 'u' };

describe('collector: write-key authentication', () => {
  it('authenticates the HTTP Basic username with an empty password, as Segment sends it', async () => {
    const { collector, stream } = collectorHarness();

    const outcome = accepted(await collector.collect(post('/v1/events', event, { key: IOS_KEY })));

    expect(outcome.sourceId).toBe('ios');
    expect(stream.stored[0]?.meta.source_id).toBe('ios');
  });

  it('accepts a Basic credential without the colon', async () => {
    const { collector } = collectorHarness();
    const authorization = `Basic ${Buffer.from(WEB_KEY).toString('base64')}`;

    const outcome = await collector.collect(
      post('/v1/events', event, { key: null, headers: { authorization } }),
    );

    expect(accepted(outcome).sourceId).toBe('web');
  });

  it('authenticates the X-Tally-Write-Key header', async () => {
    const { collector } = collectorHarness();

    const outcome = await collector.collect(
      post('/v1/events', event, { key: null, headers: { 'X-Tally-Write-Key': IOS_KEY } }),
    );

    expect(accepted(outcome).sourceId).toBe('ios');
  });

  it('authenticates a writeKey in the body, as Segment’s browser SDK sends it', async () => {
    const { collector } = collectorHarness();
    const body = { batch: [{ type: 'page', anonymousId: 'a' }], writeKey: IOS_KEY };

    const outcome = await collector.collect(
      post('/v1/b', body, { key: null, headers: { 'content-type': 'text/plain' } }),
    );

    expect(accepted(outcome).sourceId).toBe('ios');
  });

  it('answers 401 MISSING_WRITE_KEY when no key is sent', async () => {
    const { collector, stream } = collectorHarness();

    const error = await refusal(collector.collect(post('/v1/events', event, { key: null })));

    expect(error).toMatchObject({ httpStatus: 401, code: 'MISSING_WRITE_KEY' });
    expect(stream.calls).toHaveLength(0);
  });

  it.each([
    ['a Bearer token', 'Bearer abc'],
    ['a non-base64 credential', 'Basic !!!'],
    ['an empty username', basic('')],
  ])('answers 401 MALFORMED_AUTHORIZATION for %s', async (_case, authorization) => {
    const { collector } = collectorHarness();

    const error = await refusal(
      collector.collect(post('/v1/events', event, { key: null, headers: { authorization } })),
    );

    expect(error).toMatchObject({ httpStatus: 401, code: 'MALFORMED_AUTHORIZATION' });
  });

  it('answers 403 UNKNOWN_WRITE_KEY for a key no source has', async () => {
    const { collector, stream } = collectorHarness();

    const error = await refusal(collector.collect(post('/v1/events', event, { key: 'wk_guess' })));

    expect(error).toMatchObject({ httpStatus: 403, code: 'UNKNOWN_WRITE_KEY' });
    expect(stream.calls).toHaveLength(0);
  });

  it('answers 403 REVOKED_WRITE_KEY for a revoked key', async () => {
    const { collector, keys } = collectorHarness();
    keys.revoke(WEB_KEY);

    const error = await refusal(collector.collect(post('/v1/events', event)));

    expect(error).toMatchObject({ httpStatus: 403, code: 'REVOKED_WRITE_KEY' });
  });

  it('checks header keys before reading the body', async () => {
    const { collector } = collectorHarness();

    const error = await refusal(collector.collect(post('/v1/events', '{not json', { key: 'wk_guess' })));

    expect(error.code).toBe('UNKNOWN_WRITE_KEY');
  });

  it('never puts the key or its digest in an error reason', async () => {
    const { collector } = collectorHarness();

    const error = await refusal(collector.collect(post('/v1/events', event, { key: 'wk_secret_guess' })));

    expect(JSON.stringify({ ...error, message: error.message })).not.toContain('wk_secret_guess');
  });
});

describe('collector: write-key cache', () => {
  it('looks a key up once per TTL, not once per request', async () => {
    const { collector, keys, clock } = collectorHarness();

    for (let i = 0; i < 5; i++) await collector.collect(post('/v1/events', event));
    clock.ms += 29_999;
    await collector.collect(post('/v1/events', event));

    expect(keys.lookups).toBe(1);
  });

  it('stops accepting a revoked key once the 30 s TTL has passed, well within a minute', async () => {
    const { collector, keys, clock } = collectorHarness();
    await collector.collect(post('/v1/events', event));

    keys.revoke(WEB_KEY);
    clock.ms += 10_000;
    const stillCached = await collector.collect(post('/v1/events', event));
    clock.ms += 20_000;
    const error = await refusal(collector.collect(post('/v1/events', event)));

    expect(stillCached.kind).toBe('accepted');
    expect(error.code).toBe('REVOKED_WRITE_KEY');
  });

  it('applies a configured TTL', async () => {
    const { collector, keys, clock } = collectorHarness({ writeKeyCache: { ttlMs: 5_000 } });
    await collector.collect(post('/v1/events', event));

    keys.revoke(WEB_KEY);
    clock.ms += 5_000;

    expect((await refusal(collector.collect(post('/v1/events', event)))).code).toBe('REVOKED_WRITE_KEY');
  });

  it('accepts a newly added key after the TTL of its unknown answer', async () => {
    const { collector, keys, clock } = collectorHarness();
    await refusal(collector.collect(post('/v1/events', event, { key: 'wk_new' })));

    keys.add('wk_new', 'backend');
    clock.ms += 30_000;

    expect(accepted(await collector.collect(post('/v1/events', event, { key: 'wk_new' }))).sourceId).toBe(
      'backend',
    );
  });

  it('shares one store lookup between concurrent requests with the same key', async () => {
    const { collector, keys } = collectorHarness();

    await Promise.all([1, 2, 3].map(() => collector.collect(post('/v1/events', event))));

    expect(keys.lookups).toBe(1);
  });

  it('keeps the cache bounded under a flood of unknown keys', async () => {
    const { collector, keys } = collectorHarness({ writeKeyCache: { maxEntries: 3 } });
    await collector.collect(post('/v1/events', event));

    for (let i = 0; i < 5; i++)
      await refusal(collector.collect(post('/v1/events', event, { key: `wk_flood_${i}` })));
    await collector.collect(post('/v1/events', event));

    // The web key was evicted by the flood, so it had to be looked up again: 1 + 5 + 1.
    expect(keys.lookups).toBe(7);
  });

  it('answers 503 AUTH_UNAVAILABLE with Retry-After when the key store cannot be read', async () => {
    const { collector, keys } = collectorHarness();
    keys.failure = new Error('ThrottlingException');

    const error = await refusal(collector.collect(post('/v1/events', event)));

    expect(error).toMatchObject({ httpStatus: 503, code: 'AUTH_UNAVAILABLE', retryAfterSeconds: 2 });
    expect(error.cause).toBe(keys.failure);
  });
});
