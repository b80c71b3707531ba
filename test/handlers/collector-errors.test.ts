import { gzipSync } from 'node:zlib';
import type { Collector } from '#core/collector/collector.ts';
import { resolveCollectorSettings } from '#core/collector/settings.ts';
import { collectorApp, fixture, jsonBody } from '../core/collector/support/http-app.ts';

let app: Awaited<ReturnType<typeof collectorApp>>;
afterEach(async () => {
  await app?.cleanup();
});

describe('collector handler: error answers', () => {
  const segment = (change: Parameters<typeof fixture>[1]) => fixture('segment-batch.json', change);

  it.each([
    [
      'malformed JSON',
      (e: { body?: string }) => (e.body = '{"batch": [}'),
      400,
      {
        code: 'MALFORMED_JSON',
        reason: expect.stringMatching(/^malformed JSON at byte 11/),
        position: 11,
        line: 1,
        column: 12,
      },
    ],
    [
      'a wrong shape',
      (e: { body?: string }) => (e.body = '{"batch": {"type": "track"}}'),
      400,
      { code: 'INVALID_BODY_SHAPE', reason: '/batch: must be an array of calls', path: '/batch' },
    ],
    [
      'a degenerate body of more than 25,000 items',
      (e: { body?: string }) => (e.body = JSON.stringify({ batch: Array(25_001).fill(1) })),
      413,
      { code: 'TOO_MANY_EVENTS', limit_events: 25_000 },
    ],
    [
      'a form content type',
      (e: { headers: Record<string, string> }) =>
        (e.headers['content-type'] = 'application/x-www-form-urlencoded'),
      415,
      { code: 'UNSUPPORTED_CONTENT_TYPE', accepted: ['application/json', 'text/plain'] },
    ],
    [
      'an unknown key',
      (e: { headers: Record<string, string> }) => (e.headers.authorization = 'Basic d2tfbm9wZTo='),
      403,
      { code: 'UNKNOWN_WRITE_KEY' },
    ],
    [
      'a revoked key',
      (e: { headers: Record<string, string> }) =>
        (e.headers.authorization = `Basic ${Buffer.from('wk_web_retired:').toString('base64')}`),
      403,
      { code: 'REVOKED_WRITE_KEY' },
    ],
    [
      'an unknown route',
      (e: { rawPath: string }) => (e.rawPath = '/v1/nope'),
      404,
      { code: 'ROUTE_NOT_FOUND' },
    ],
  ])('answers %s with its status and a JSON error body', async (_case, change, status, error) => {
    app = await collectorApp();

    const response = await app.invoke(await segment(change as Parameters<typeof fixture>[1]));

    expect(response.statusCode).toBe(status);
    expect(response.headers?.['content-type']).toBe('application/json; charset=utf-8');
    expect(jsonBody(response)).toEqual({ error: { reason: expect.any(String), ...error } });
    expect(app.stream.calls).toHaveLength(0);
  });

  it('answers 401 with a Basic challenge when no key is sent', async () => {
    app = await collectorApp();

    const response = await app.invoke(await segment((e) => delete e.headers.authorization));

    expect(response.statusCode).toBe(401);
    expect(response.headers?.['www-authenticate']).toBe('Basic realm="tally", charset="UTF-8"');
    expect(jsonBody(response)).toEqual({ error: { code: 'MISSING_WRITE_KEY', reason: expect.any(String) } });
  });

  it('answers 405 with an Allow header', async () => {
    app = await collectorApp();

    const response = await app.invoke(await segment((e) => (e.requestContext.http.method = 'PUT')));

    expect(response.statusCode).toBe(405);
    expect(response.headers?.allow).toBe('POST, OPTIONS');
  });

  it('answers 413 for a gzip body that inflates past the limit', async () => {
    app = await collectorApp();
    const bomb = gzipSync(Buffer.alloc(8 * 1024 * 1024, 0x20)).toString('base64');

    const response = await app.invoke(
      await segment((e) => {
        e.headers['content-encoding'] = 'gzip';
        e.body = bomb;
        e.isBase64Encoded = true;
      }),
    );

    expect(response.statusCode).toBe(413);
    expect(jsonBody(response)).toMatchObject({ error: { code: 'REQUEST_TOO_LARGE', limit_bytes: 524288 } });
  });

  it('answers 429 with Retry-After when the source is over its rate', async () => {
    app = await collectorApp({
      limits: { maxBatchEvents: 2 },
      rateLimit: { eventsPerSecond: 1, burstEvents: 2 },
    });
    await app.invoke(await fixture('segment-batch.json'));

    const response = await app.invoke(await fixture('segment-batch.json'));

    expect(response.statusCode).toBe(429);
    expect(response.headers?.['retry-after']).toBe('2');
    expect(jsonBody(response)).toEqual({ error: { code: 'RATE_LIMITED', reason: expect.any(String) } });
  });

  it('answers 503 with Retry-After, never 200, when the stream keeps refusing', async () => {
    app = await collectorApp();
    app.stream.failAlways();

    const response = await app.invoke(await fixture('segment-batch.json'));

    expect(response.statusCode).toBe(503);
    expect(response.headers?.['retry-after']).toBe('2');
    expect(jsonBody(response)).toEqual({ error: { code: 'STREAM_UNAVAILABLE', reason: expect.any(String) } });
  });

  it('answers 200 after retrying a partial stream failure', async () => {
    app = await collectorApp();
    app.stream.failOnCall(1, [1]);

    const response = await app.invoke(await fixture('segment-batch.json'));

    expect(response.statusCode).toBe(200);
    expect(app.stream.stored).toHaveLength(2);
  });

  it('answers 500 INTERNAL_ERROR without detail when something unexpected breaks', async () => {
    const broken: Collector = {
      settings: resolveCollectorSettings(),
      collect: async () => {
        throw new TypeError('cannot read properties of undefined');
      },
    };
    app = await collectorApp({}, { collector: broken });

    const response = await app.invoke(await fixture('segment-batch.json'));

    expect(response.statusCode).toBe(500);
    expect(jsonBody(response)).toEqual({
      error: { code: 'INTERNAL_ERROR', reason: 'unexpected server error' },
    });
  });

  it('answers binary garbage with a 4xx JSON error', async () => {
    app = await collectorApp();

    const response = await app.invoke(
      await segment((e) => {
        e.body = Buffer.from([0xde, 0xad, 0xbe, 0xef, 0x00, 0xff]).toString('base64');
        e.isBase64Encoded = true;
      }),
    );

    expect(response.statusCode).toBe(400);
    // 0xde 0xad is a valid two-byte sequence; 0xbe is a stray continuation byte.
    expect(jsonBody(response)).toMatchObject({ error: { code: 'INVALID_UTF8', position: 2 } });
  });
});
