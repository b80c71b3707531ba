import { accepted, collectorHarness, post } from './support/harness.ts';

const track = {
  type: 'track',
  event: 'Comment Added',
  userId: 'u-1',
  messageId: 'm-1',
  properties: { n: 1 },
};

describe('collector: native intake (POST /v1/events)', () => {
  it('writes a single native event as one record with its meta', async () => {
    const { collector, stream } = collectorHarness();
    const event = { event_id: 'e-1', event_name: 'comment_added', user_id: 'u-1', properties: { len: 3 } };

    const outcome = accepted(await collector.collect(post('/v1/events', event, { requestId: 'api-req-9' })));

    expect(outcome).toMatchObject({ received: 1, accepted: 1, rejected: [], sourceId: 'web' });
    expect(stream.stored).toHaveLength(1);
    expect(stream.stored[0]?.meta).toEqual({
      v: 1,
      source_id: 'web',
      received_at: '2024-05-01T12:00:00.000Z',
      request_id: 'api-req-9',
      intake: 'native',
      tracking_plan: 'allow',
    });
    expect(stream.stored[0]?.event).toEqual(event);
  });

  it("writes the source's tracking plan on every record's meta line, for the validator", async () => {
    const { collector, stream, keys } = collectorHarness();
    keys.add('wk_strict_source', 'billing', 'strict');
    const events = [1, 2].map((n) => ({ event_id: `e-${n}`, event_name: 'button_clicked', user_id: 'u-1' }));

    await collector.collect(post('/v1/events', { events }));
    await collector.collect(post('/v1/events', { events }, { key: 'wk_strict_source' }));

    expect(stream.stored.map((r) => [r.meta.source_id, r.meta.tracking_plan])).toEqual([
      ['web', 'allow'],
      ['web', 'allow'],
      ['billing', 'strict'],
      ['billing', 'strict'],
    ]);
  });

  it('writes each event of a native batch in request order, with the batch sent_at', async () => {
    const { collector, stream } = collectorHarness();
    const events = [1, 2, 3].map((n) => ({
      event_id: `e-${n}`,
      event_name: 'page_viewed',
      anonymous_id: 'a-1',
    }));

    const outcome = accepted(
      await collector.collect(post('/v1/events', { events, sent_at: '2024-05-01T11:59:59.000Z' })),
    );

    expect(outcome.received).toBe(3);
    expect(stream.stored.map((r) => r.event)).toEqual(events);
    expect(stream.stored.map((r) => r.meta.sent_at)).toEqual(Array(3).fill('2024-05-01T11:59:59.000Z'));
  });

  it('keeps the event text on the record exactly as JSON.stringify wrote it', async () => {
    const { collector, stream } = collectorHarness();
    const event = { event_name: 'x', user_id: 'ü-1', properties: { emoji: '🎉', nested: { a: [1, 2] } } };

    await collector.collect(post('/v1/events', event));

    expect(stream.stored[0]?.text.split('\n')[1]).toBe(JSON.stringify(event));
  });

  it('uses the event id as partition key and a hash when there is none', async () => {
    const { collector, stream } = collectorHarness();
    const events = [
      { event_id: 'e-1', event_name: 'x', user_id: 'u' },
      { event_name: 'x', user_id: 'u' },
    ];

    await collector.collect(post('/v1/events', { events }));

    expect(stream.stored[0]?.partitionKey).toBe('e-1');
    expect(stream.stored[1]?.partitionKey).toMatch(/^[0-9a-f]{32}$/);
  });

  it('answers 200 with zero events for an empty batch and writes nothing', async () => {
    const { collector, stream } = collectorHarness();

    const outcome = accepted(await collector.collect(post('/v1/events', { events: [] })));

    expect(outcome).toMatchObject({ received: 0, accepted: 0, rejected: [] });
    expect(stream.calls).toHaveLength(0);
  });
});

describe('collector: Segment intake', () => {
  it('writes a Segment batch with the batch context and sentAt on every record', async () => {
    const { collector, stream } = collectorHarness();
    const batch = [track, { type: 'identify', userId: 'u-1', traits: { plan: 'pro' } }];
    const context = { library: { name: 'analytics-node', version: '2.1.0' } };

    await collector.collect(post('/v1/batch', { batch, context, sentAt: '2024-05-01T11:59:58.000Z' }));

    expect(stream.stored.map((r) => r.event)).toEqual(batch);
    for (const { meta } of stream.stored) {
      expect(meta).toMatchObject({ intake: 'segment', context, sent_at: '2024-05-01T11:59:58.000Z' });
      expect(meta.call).toBeUndefined();
    }
  });

  it('leaves sent_at off the meta of a batch event that has its own sentAt', async () => {
    const { collector, stream } = collectorHarness();

    await collector.collect(
      post('/v1/batch', {
        batch: [{ ...track, sentAt: '2024-05-01T11:00:00.000Z' }],
        sentAt: '2024-05-01T11:59:58Z',
      }),
    );

    expect(stream.stored[0]?.meta.sent_at).toBeUndefined();
  });

  it('treats /v1/import as an alias of /v1/batch', async () => {
    const { collector, stream } = collectorHarness();

    await collector.collect(post('/v1/import', { batch: [track] }));

    expect(stream.stored[0]?.meta.intake).toBe('segment');
  });

  it.each([
    ['/v1/track', 'track', { event: 'Signed Up', userId: 'u-1' }],
    ['/v1/identify', 'identify', { userId: 'u-1', traits: { email_domain: 'example.com' } }],
    ['/v1/page', 'page', { anonymousId: 'a-1', name: 'Pricing' }],
    ['/v1/screen', 'screen', { userId: 'u-1', name: 'Settings' }],
    ['/v1/group', 'group', { userId: 'u-1', groupId: 'w-1' }],
    ['/v1/alias', 'alias', { userId: 'u-1', previousId: 'a-1' }],
    ['/v1/t', 'track', { event: 'Signed Up', userId: 'u-1' }],
    ['/v1/p', 'page', { anonymousId: 'a-1' }],
  ])('writes a single call to %s with call %s from the route', async (path, call, body) => {
    const { collector, stream } = collectorHarness();

    const outcome = accepted(await collector.collect(post(path, body)));

    expect(outcome).toMatchObject({ received: 1, accepted: 1, rejected: [] });
    expect(stream.stored[0]?.meta).toMatchObject({ intake: 'segment', call });
    expect(stream.stored[0]?.event).toEqual(body);
  });

  it('uses messageId as partition key', async () => {
    const { collector, stream } = collectorHarness();

    await collector.collect(post('/v1/track', track));

    expect(stream.stored[0]?.partitionKey).toBe('m-1');
  });
});

describe('collector: keys that look like prototype properties', () => {
  it('stores __proto__ and constructor keys as plain data without touching any prototype', async () => {
    const { collector, stream } = collectorHarness();
    const text =
      '{"event_name":"x","user_id":"u","__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},"writeKey":"ignored"}';

    const outcome = accepted(await collector.collect(post('/v1/events', text)));

    expect(outcome.accepted).toBe(1);
    const stored = stream.stored[0]?.event as Record<string, unknown>;
    expect(Object.hasOwn(stored, '__proto__')).toBe(true);
    expect(stream.stored[0]?.text.split('\n')[1]).toContain('"__proto__":{"polluted":true}');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(stored)).toBe(Object.prototype);
  });
});
