import { accepted, collectorHarness, post } from './support/harness.ts';

describe('collector: per-event prechecks', () => {
  it('reports an event over the size limit by index and still writes it, marked EVENT_TOO_LARGE', async () => {
    const { collector, stream } = collectorHarness();
    const small = { event_name: 'x', user_id: 'u' };
    const big = { event_name: 'x', user_id: 'u', properties: { blob: 'a'.repeat(33 * 1024) } };

    const outcome = accepted(await collector.collect(post('/v1/events', { events: [small, big, small] })));

    expect(outcome).toMatchObject({ received: 3, accepted: 2 });
    expect(outcome.rejected).toEqual([
      { index: 1, code: 'EVENT_TOO_LARGE', reason: expect.stringMatching(/limit is 32768/) },
    ]);
    expect(stream.stored.map((r) => r.meta.precheck)).toEqual([undefined, 'EVENT_TOO_LARGE', undefined]);
    expect(stream.stored[1]?.event).toEqual(big);
  });

  it.each([
    ['a string', '"hello"'],
    ['a number', '42'],
    ['null', 'null'],
    ['an array', '[1,2]'],
  ])('reports a batch item that is %s as NOT_AN_OBJECT and writes it', async (_kind, itemJson) => {
    const { collector, stream } = collectorHarness();

    const outcome = accepted(await collector.collect(post('/v1/batch', `{"batch":[${itemJson}]}`)));

    expect(outcome.rejected).toEqual([{ index: 0, code: 'NOT_AN_OBJECT', reason: expect.any(String) }]);
    expect(stream.stored[0]?.text.split('\n')[1]).toBe(itemJson);
    expect(stream.stored[0]?.meta.precheck).toBe('NOT_AN_OBJECT');
  });

  it('reports a native event without user_id or anonymous_id as MISSING_KEY /user_id', async () => {
    const { collector } = collectorHarness();

    const outcome = accepted(await collector.collect(post('/v1/events', { event_name: 'x' })));

    expect(outcome.rejected).toEqual([
      { index: 0, code: 'MISSING_KEY', path: '/user_id', reason: 'user_id or anonymous_id is required' },
    ]);
  });

  it('reports a native event with neither event nor event_name as MISSING_KEY /event', async () => {
    const { collector } = collectorHarness();

    const outcome = accepted(await collector.collect(post('/v1/events', { anonymous_id: 'a' })));

    expect(outcome.rejected[0]).toMatchObject({ code: 'MISSING_KEY', path: '/event' });
  });

  it('accepts a native event named by `event` as the validator does', async () => {
    const { collector } = collectorHarness();

    const outcome = accepted(await collector.collect(post('/v1/events', { event: 'x', anonymous_id: 'a' })));

    expect(outcome).toMatchObject({ accepted: 1, rejected: [] });
  });

  it('counts an empty string or null id as missing', async () => {
    const { collector } = collectorHarness();

    const outcome = accepted(
      await collector.collect(post('/v1/events', { event_name: 'x', user_id: '', anonymous_id: null })),
    );

    expect(outcome.rejected[0]).toMatchObject({ code: 'MISSING_KEY', path: '/user_id' });
  });

  it('reports a Segment call without userId or anonymousId as MISSING_KEY /userId', async () => {
    const { collector } = collectorHarness();

    const outcome = accepted(await collector.collect(post('/v1/identify', { traits: { plan: 'pro' } })));

    expect(outcome.rejected[0]).toMatchObject({ code: 'MISSING_KEY', path: '/userId' });
  });

  it('reports a track call without an event name as MISSING_KEY /event', async () => {
    const { collector } = collectorHarness();

    const outcome = accepted(await collector.collect(post('/v1/track', { userId: 'u-1' })));

    expect(outcome.rejected[0]).toMatchObject({ code: 'MISSING_KEY', path: '/event' });
  });

  it('does not require an event name on non-track calls', async () => {
    const { collector } = collectorHarness();

    const outcome = accepted(await collector.collect(post('/v1/page', { anonymousId: 'a-1' })));

    expect(outcome.rejected).toEqual([]);
  });

  it('reports a batch call without a type as MISSING_KEY /type', async () => {
    const { collector } = collectorHarness();

    const outcome = accepted(
      await collector.collect(post('/v1/batch', { batch: [{ userId: 'u', event: 'E' }] })),
    );

    expect(outcome.rejected[0]).toMatchObject({ code: 'MISSING_KEY', path: '/type' });
  });

  it('accepts events without an event id (dedup falls back to a content hash downstream)', async () => {
    const { collector } = collectorHarness();

    const outcome = accepted(await collector.collect(post('/v1/track', { userId: 'u', event: 'E' })));

    expect(outcome.rejected).toEqual([]);
  });

  it('removes a writeKey field from every stored event', async () => {
    const { collector, stream } = collectorHarness();
    const event = { type: 'track', event: 'E', userId: 'u', writeKey: 'wk_web_3f9a1c' };

    await collector.collect(post('/v1/batch', { batch: [event, event], writeKey: 'wk_web_3f9a1c' }));

    for (const record of stream.stored) {
      expect(record.text).not.toContain('wk_web_3f9a1c');
      expect(record.event).toEqual({ type: 'track', event: 'E', userId: 'u' });
    }
  });

  it('reports a number beyond the range of a double as NUMBER_OUT_OF_RANGE at its path, instead of storing null silently', async () => {
    const { collector, stream } = collectorHarness();
    const body =
      '{"events":[{"event_name":"x","user_id":"u","occurred_at":1e400},{"event_name":"x","user_id":"u","occurred_at":1e300}]}';

    const outcome = accepted(await collector.collect(post('/v1/events', body)));

    expect(outcome.rejected).toEqual([
      {
        index: 0,
        code: 'NUMBER_OUT_OF_RANGE',
        path: '/occurred_at',
        reason:
          '/occurred_at is a number beyond the range of a 64-bit float (about 1.8e308): it reads as Infinity',
      },
    ]);
    expect(stream.stored.map((r) => r.meta.precheck)).toEqual(['NUMBER_OUT_OF_RANGE', undefined]);
  });

  it.each([
    ['a negative one with a capital E', '-1E+309'],
    ['an integer of 400 digits', `9${'0'.repeat(399)}`],
  ])('reports %s nested in properties', async (_what, literal) => {
    const { collector } = collectorHarness();
    const body = `{"type":"track","event":"E","userId":"u","properties":{"list":[{"n": ${literal} }]}}`;

    const outcome = accepted(await collector.collect(post('/v1/track', body)));

    expect(outcome.rejected[0]).toMatchObject({ code: 'NUMBER_OUT_OF_RANGE', path: '/properties/list/0/n' });
  });

  it('reports every call of a batch whose shared context holds such a number', async () => {
    const { collector } = collectorHarness();
    const call = '{"type":"track","event":"E","userId":"u"}';
    const body = `{"batch":[${call},${call}],"context":{"screen":{"width":1e999}}}`;

    const outcome = accepted(await collector.collect(post('/v1/batch', body)));

    expect(outcome.rejected.map((r) => [r.index, r.path])).toEqual([
      [0, '/batch/context/screen/width'],
      [1, '/batch/context/screen/width'],
    ]);
  });

  it('takes true, false and long exponents that stay finite for what they are', async () => {
    const { collector } = collectorHarness();
    const body =
      '{"event_name":"x","user_id":"u","properties":{"t":true,"f":false,"big":1.5e+308,"tiny":1e-999}}';

    const outcome = accepted(await collector.collect(post('/v1/events', body)));

    expect(outcome.rejected).toEqual([]);
  });

  it('keeps accepted = received - rejected and writes every received event', async () => {
    const { collector, stream } = collectorHarness();
    const events = [
      { event_name: 'x', user_id: 'u' },
      'oops',
      { user_id: 'u' },
      { event_name: 'y', user_id: 'u' },
    ];

    const outcome = accepted(await collector.collect(post('/v1/events', { events })));

    expect(outcome).toMatchObject({ received: 4, accepted: 2 });
    expect(outcome.rejected.map((r) => r.index)).toEqual([1, 2]);
    expect(stream.stored).toHaveLength(4);
  });
});
