import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { MIN_VALID_EVENT_BYTES } from '#core/collector/settings.ts';
import { accepted, collectorHarness, post } from './support/harness.ts';
import { refusal } from './support/refusal.ts';

const event = { event_name: 'x', user_id: 'u' };

describe('collector: content type and encoding', () => {
  it.each(['application/json', 'application/json; charset=utf-8', 'text/plain', 'text/plain;charset=UTF-8'])(
    'accepts Content-Type %s',
    async (contentType) => {
      const { collector } = collectorHarness();

      const outcome = await collector.collect(
        post('/v1/events', event, { headers: { 'content-type': contentType } }),
      );

      expect(accepted(outcome).accepted).toBe(1);
    },
  );

  it.each([
    'application/x-www-form-urlencoded',
    'application/json; charset=iso-8859-1',
    'multipart/form-data',
  ])('answers 415 UNSUPPORTED_CONTENT_TYPE for %s', async (contentType) => {
    const { collector } = collectorHarness();

    const error = await refusal(
      collector.collect(post('/v1/events', event, { headers: { 'content-type': contentType } })),
    );

    expect(error).toMatchObject({ httpStatus: 415, code: 'UNSUPPORTED_CONTENT_TYPE' });
  });

  it('answers 415 when Content-Type is missing', async () => {
    const { collector } = collectorHarness();
    const request = post('/v1/events', event);
    const { 'content-type': _dropped, ...headers } = request.headers;

    const error = await refusal(collector.collect({ ...request, headers }));

    expect(error).toMatchObject({ httpStatus: 415, code: 'UNSUPPORTED_CONTENT_TYPE' });
  });

  it('answers 415 UNSUPPORTED_CONTENT_ENCODING for br', async () => {
    const { collector } = collectorHarness();

    const error = await refusal(
      collector.collect(post('/v1/events', event, { headers: { 'content-encoding': 'br' } })),
    );

    expect(error).toMatchObject({ httpStatus: 415, code: 'UNSUPPORTED_CONTENT_ENCODING' });
  });

  it('accepts a gzip body delivered base64-encoded by API Gateway', async () => {
    const { collector, stream } = collectorHarness();

    const outcome = await collector.collect(post('/v1/events', { events: [event, event] }, { gzip: true }));

    expect(accepted(outcome).received).toBe(2);
    expect(stream.stored.map((r) => r.event)).toEqual([event, event]);
  });

  it.each([
    'application/x-www-form-urlencoded',
    'application/octet-stream',
    'application/json; charset=iso-8859-1',
  ])(
    'accepts a gzip body that decodes to JSON although its Content-Type says %s (RudderStack)',
    async (contentType) => {
      const { collector, stream } = collectorHarness();
      const batch = [{ type: 'track', event: 'Feature Used', userId: 'u1', messageId: 'm1' }];

      const outcome = await collector.collect(
        post('/v1/batch', { batch }, { gzip: true, headers: { 'content-type': contentType } }),
      );

      expect(accepted(outcome)).toMatchObject({ received: 1, accepted: 1 });
      expect(stream.stored.map((r) => r.event)).toEqual(batch);
    },
  );

  it('accepts a gzip JSON body sent without a Content-Type', async () => {
    const { collector } = collectorHarness();
    const request = post('/v1/events', event, { gzip: true });
    const { 'content-type': _dropped, ...headers } = request.headers;

    expect(accepted(await collector.collect({ ...request, headers })).accepted).toBe(1);
  });

  it('answers 415 UNSUPPORTED_CONTENT_TYPE for a gzip body under another Content-Type that is not JSON', async () => {
    const { collector, stream } = collectorHarness();
    const form = 'batch=%5B%7B%22type%22%3A%22track%22%7D%5D&writeKey=k';

    const error = await refusal(
      collector.collect(
        post('/v1/batch', form, {
          gzip: true,
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        }),
      ),
    );

    expect(error).toMatchObject({ httpStatus: 415, code: 'UNSUPPORTED_CONTENT_TYPE' });
    expect(error.reason).toMatch(/gzip body is not JSON/);
    expect(stream.calls).toHaveLength(0);
  });

  it('answers 415 for a gzip body under another Content-Type that is not UTF-8 text', async () => {
    const { collector } = collectorHarness();
    const request = post('/v1/events', new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]), {
      gzip: true,
      headers: { 'content-type': 'application/x-protobuf' },
    });

    const error = await refusal(collector.collect(request));

    expect(error).toMatchObject({ httpStatus: 415, code: 'UNSUPPORTED_CONTENT_TYPE' });
    expect(error.reason).toMatch(/gzip body is not UTF-8/);
  });

  it('still answers 400 MALFORMED_JSON for a gzip body declared as JSON that does not parse', async () => {
    const { collector } = collectorHarness();

    const error = await refusal(collector.collect(post('/v1/events', '{"event_name":', { gzip: true })));

    expect(error).toMatchObject({ httpStatus: 400, code: 'MALFORMED_JSON' });
  });

  it('answers 400 INVALID_GZIP when a gzip body does not inflate', async () => {
    const { collector } = collectorHarness();
    const request = post('/v1/events', event, { headers: { 'content-encoding': 'gzip' } });

    const error = await refusal(collector.collect(request));

    expect(error).toMatchObject({ httpStatus: 400, code: 'INVALID_GZIP' });
  });
});

describe('collector: size limits', () => {
  it('answers 413 REQUEST_TOO_LARGE for a body over 512 KiB', async () => {
    const { collector, stream } = collectorHarness();
    const padding = 'a'.repeat(30 * 1024);
    const events = Array.from({ length: 18 }, () => ({ ...event, properties: { padding } }));

    const error = await refusal(collector.collect(post('/v1/events', { events })));

    expect(error).toMatchObject({ httpStatus: 413, code: 'REQUEST_TOO_LARGE' });
    expect(stream.calls).toHaveLength(0);
  });

  it('answers 413 for a small gzip body that inflates past the limit (zip bomb), without inflating it all', async () => {
    const { collector } = collectorHarness();
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024, 0x20));
    const request = post('/v1/events', new Uint8Array(bomb), { headers: { 'content-encoding': 'gzip' } });

    const error = await refusal(collector.collect(request));

    expect(bomb.length).toBeLessThan(100 * 1024);
    expect(error).toMatchObject({
      httpStatus: 413,
      code: 'REQUEST_TOO_LARGE',
      reason: expect.stringMatching(/decompressed/),
    });
  });

  it.each([
    ['/v1/batch', (batch: unknown[]) => ({ batch })],
    ['/v1/events', (events: unknown[]) => ({ events })],
  ])(
    'accepts a batch of 600 events on %s: batches are limited by bytes, not by a count',
    async (path, wrap) => {
      const { collector, stream } = collectorHarness();
      const items = Array.from({ length: 600 }, (_, i) =>
        path === '/v1/batch'
          ? { type: 'track', event: 'Feature Used', userId: `u${i}`, messageId: `m${i}` }
          : { event_name: 'x', user_id: `u${i}`, event_id: `e${i}` },
      );

      const outcome = accepted(await collector.collect(post(path, wrap(items))));

      expect(outcome).toMatchObject({ received: 600, accepted: 600, rejected: [] });
      expect(stream.stored).toHaveLength(600);
      // Kinesis takes at most 500 records per PutRecords call
      expect(stream.calls.map((call) => call.length)).toEqual([500, 100]);
    },
  );

  it('accepts a body full of the smallest valid events: the event ceiling never refuses valid events', async () => {
    const { collector, stream } = collectorHarness();
    const smallest = { event: 'a', user_id: 1 };
    expect(JSON.stringify(smallest).length + 1).toBe(MIN_VALID_EVENT_BYTES);
    const count = Math.floor((512 * 1024 - '{"events":[]}'.length) / MIN_VALID_EVENT_BYTES);

    const outcome = accepted(
      await collector.collect(post('/v1/events', { events: Array(count).fill(smallest) })),
    );

    expect(count).toBeGreaterThan(20_000);
    expect(outcome).toMatchObject({ received: count, accepted: count });
    expect(stream.stored).toHaveLength(count);
  });

  it('answers 413 TOO_MANY_EVENTS for a degenerate body of more than 25,000 items', async () => {
    const { collector, stream } = collectorHarness();

    const error = await refusal(collector.collect(post('/v1/batch', { batch: Array(25_001).fill(1) })));

    expect(error).toMatchObject({
      httpStatus: 413,
      code: 'TOO_MANY_EVENTS',
      details: { limit_events: 25_000 },
    });
    expect(stream.calls).toHaveLength(0);
  });

  it('answers 413 BATCH_CONTEXT_TOO_LARGE when copies of the batch context would add more than 16 MiB', async () => {
    const { collector, stream } = collectorHarness();
    const context = { blob: 'c'.repeat(20 * 1024) };
    const batch = Array.from({ length: 1000 }, () => ({ type: 'page', userId: 'u' }));

    const error = await refusal(collector.collect(post('/v1/batch', { batch, context })));

    expect(error).toMatchObject({
      httpStatus: 413,
      code: 'BATCH_CONTEXT_TOO_LARGE',
      details: { limit_total_bytes: 16 * 1024 * 1024 },
    });
    expect(stream.calls).toHaveLength(0);
  });

  it('answers 413 BATCH_CONTEXT_TOO_LARGE when the batch context would be copied onto every event', async () => {
    const { collector } = collectorHarness();
    const context = { blob: 'c'.repeat(40 * 1024) };

    const error = await refusal(
      collector.collect(post('/v1/batch', { batch: [{ type: 'page', userId: 'u' }], context })),
    );

    expect(error).toMatchObject({ httpStatus: 413, code: 'BATCH_CONTEXT_TOO_LARGE' });
  });

  it('honours configured limits', async () => {
    const { collector } = collectorHarness({ limits: { maxBatchEvents: 2 }, rateLimit: { burstEvents: 2 } });

    const error = await refusal(collector.collect(post('/v1/events', { events: [event, event, event] })));

    expect(error).toMatchObject({ httpStatus: 413, code: 'TOO_MANY_EVENTS', details: { limit_events: 2 } });
  });
});

describe('collector: malformed bodies', () => {
  it('answers 400 EMPTY_BODY for an empty body', async () => {
    const { collector } = collectorHarness();

    const error = await refusal(collector.collect(post('/v1/events', '')));

    expect(error).toMatchObject({ httpStatus: 400, code: 'EMPTY_BODY' });
  });

  it('answers 400 MALFORMED_JSON with the byte position, line and column of the error', async () => {
    const { collector } = collectorHarness();

    const error = await refusal(collector.collect(post('/v1/events', '{"event_name": "é",\n  "user_id": }')));

    // "é" is 2 bytes: the '}' is character 33 but byte 34.
    expect(error).toMatchObject({
      httpStatus: 400,
      code: 'MALFORMED_JSON',
      details: { position: 34, line: 2, column: 14 },
    });
    expect(error.reason).toMatch(
      /^malformed JSON at byte 34 \(line 2, column 14\): unexpected character '}'/,
    );
  });

  it('locates a truncated body at its end, where V8 gives no position', async () => {
    const { collector } = collectorHarness();
    const text = '{"events": [{"event_name": "x"';

    const error = await refusal(collector.collect(post('/v1/events', text)));

    expect(error).toMatchObject({ code: 'MALFORMED_JSON', details: { position: text.length } });
    expect(error.reason).toMatch(/unexpected end of input/);
  });

  it('locates errors inside a gzip body by their offset in the inflated text', async () => {
    const { collector } = collectorHarness();

    const error = await refusal(collector.collect(post('/v1/events', '{"a": tru}', { gzip: true })));

    expect(error).toMatchObject({ code: 'MALFORMED_JSON', details: { position: 6 } });
  });

  it('answers 400 INVALID_UTF8 with the offset of the first bad byte for binary garbage', async () => {
    const { collector } = collectorHarness();
    const garbage = new Uint8Array([0x7b, 0x22, 0x61, 0xff, 0xfe, 0x00, 0x81]);

    const error = await refusal(collector.collect(post('/v1/events', garbage)));

    expect(error).toMatchObject({ httpStatus: 400, code: 'INVALID_UTF8', details: { position: 3 } });
  });

  it('refuses random binary bodies with a 4xx, never a crash', async () => {
    const { collector } = collectorHarness();
    for (let i = 0; i < 50; i++) {
      const error = await refusal(
        collector.collect(post('/v1/events', new Uint8Array(randomBytes(64 + i * 37)))),
      );
      expect(error.httpStatus).toBeGreaterThanOrEqual(400);
      expect(error.httpStatus).toBeLessThan(500);
    }
  });

  it('answers 400 NESTING_TOO_DEEP for a single event nested 33 deep, with the position', async () => {
    const { collector } = collectorHarness();
    const text = `{"event_name":"x","user_id":"u","p":${'['.repeat(32)}${']'.repeat(32)}}`;

    const error = await refusal(collector.collect(post('/v1/events', text)));

    expect(error).toMatchObject({
      httpStatus: 400,
      code: 'NESTING_TOO_DEEP',
      details: { limit_depth: 32, position: 67 },
    });
  });

  it('accepts an event nested 32 deep inside a batch wrapper', async () => {
    const { collector } = collectorHarness();
    const nested = `{"event_name":"x","user_id":"u","p":${'['.repeat(31)}${']'.repeat(31)}}`;

    const outcome = await collector.collect(post('/v1/events', `{"events":[${nested}]}`));

    expect(accepted(outcome).accepted).toBe(1);
  });

  it('refuses a body nested 100,000 deep with 400 before parsing it', async () => {
    const { collector } = collectorHarness();
    const text = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;

    const error = await refusal(collector.collect(post('/v1/events', text)));

    expect(error).toMatchObject({ httpStatus: 400, code: 'NESTING_TOO_DEEP', details: { position: 34 } });
  });
});

describe('collector: body shapes', () => {
  it.each([
    ['/v1/events', '[{"event_name":"x"}]', ''],
    ['/v1/events', '"just a string"', ''],
    ['/v1/events', '{"events": {"event_name":"x"}}', '/events'],
    ['/v1/events', '{"events": [], "sent_at": 12}', '/sent_at'],
    ['/v1/batch', '{"events": []}', '/batch'],
    ['/v1/batch', '{"batch": [], "context": []}', '/context'],
    ['/v1/batch', '{"batch": [], "sentAt": false}', '/sentAt'],
    ['/v1/track', 'null', ''],
  ])('answers 400 INVALID_BODY_SHAPE for %s with %s', async (path, body, errorPath) => {
    const { collector, stream } = collectorHarness();

    const error = await refusal(collector.collect(post(path, body)));

    expect(error).toMatchObject({
      httpStatus: 400,
      code: 'INVALID_BODY_SHAPE',
      details: { path: errorPath },
    });
    expect(stream.calls).toHaveLength(0);
  });
});
