import { gzipSync } from 'node:zlib';
import type { Collector } from '#core/collector/collector.ts';
import { resolveCollectorSettings } from '#core/collector/settings.ts';
import { captureStdout, collectorApp, fixture, jsonBody } from '../core/collector/support/http-app.ts';

let app: Awaited<ReturnType<typeof collectorApp>>;
afterEach(async () => {
  await app?.cleanup();
});

describe('collector handler: accepted requests', () => {
  it('answers 200 to a Segment batch and puts both events on the stream with the API request id', async () => {
    app = await collectorApp();

    const response = await app.invoke(await fixture('segment-batch.json'));

    expect(response.statusCode).toBe(200);
    expect(response.headers).toMatchObject({ 'content-type': 'application/json; charset=utf-8' });
    expect(jsonBody(response)).toEqual({ received: 2, accepted: 2, rejected: [] });
    expect(app.stream.stored.map((r) => r.meta)).toEqual([
      expect.objectContaining({
        source_id: 'web',
        request_id: 'Xk3pQhV2iGkEJbA=',
        received_at: '2024-05-01T12:00:00.250Z',
        intake: 'segment',
        sent_at: '2024-05-01T11:59:59.500Z',
        context: { library: { name: 'analytics-node-next', version: '2.1.0' } },
      }),
      expect.objectContaining({ request_id: 'Xk3pQhV2iGkEJbA=' }),
    ]);
    expect(app.stream.stored[0]?.partitionKey).toBe('0d6b5c1e-1f5e-4c39-9a51-6f2f8a0f3c11');
  });

  it('answers 200 to a gzip native batch, reporting the event that misses its ids', async () => {
    app = await collectorApp();

    const response = await app.invoke(await fixture('native-events-gzip.json'));

    expect(response.statusCode).toBe(200);
    expect(jsonBody(response)).toEqual({
      received: 3,
      accepted: 2,
      rejected: [
        { index: 2, code: 'MISSING_KEY', path: '/user_id', reason: 'user_id or anonymous_id is required' },
      ],
    });
    expect(app.stream.stored.map((r) => [r.meta.source_id, r.meta.precheck])).toEqual([
      ['ios', undefined],
      ['ios', undefined],
      ['ios', 'MISSING_KEY'],
    ]);
  });

  it('answers 200 to analytics.js (text/plain, key in the body) and keeps the key off the stream', async () => {
    app = await collectorApp();

    const response = await app.invoke(await fixture('analytics-js-batch.json'));

    expect(response.statusCode).toBe(200);
    expect(response.headers?.['access-control-allow-origin']).toBe('*');
    expect(app.stream.stored).toHaveLength(2);
    for (const record of app.stream.stored) expect(record.text).not.toContain('wk_web_3f9a1c');
  });

  it('answers GET /health with 200 {"status":"ok"}', async () => {
    app = await collectorApp();

    const response = await app.invoke(await fixture('health.json'));

    expect(response.statusCode).toBe(200);
    expect(jsonBody(response)).toEqual({ status: 'ok' });
  });
});

describe('collector handler: CORS', () => {
  it('answers a preflight with 204 and the allowed method, headers and max age', async () => {
    app = await collectorApp();

    const response = await app.invoke(await fixture('preflight-track.json'));

    expect(response.statusCode).toBe(204);
    expect(response.headers).toMatchObject({
      'access-control-allow-origin': '*',
      'access-control-allow-methods': 'POST, OPTIONS',
      'access-control-allow-headers': 'Authorization, Content-Type, Content-Encoding, X-Tally-Write-Key',
      'access-control-max-age': '600',
    });
  });

  it('echoes an allowed origin with Vary: Origin when origins are configured', async () => {
    app = await collectorApp({ cors: { allowedOrigins: ['https://app.example.com'] } });

    const response = await app.invoke(await fixture('analytics-js-batch.json'));

    expect(response.headers).toMatchObject({
      'access-control-allow-origin': 'https://app.example.com',
      vary: 'Origin',
    });
  });

  it('sends no CORS grant to an origin that is not allowed', async () => {
    app = await collectorApp({ cors: { allowedOrigins: ['https://other.example.com'] } });

    const response = await app.invoke(await fixture('preflight-track.json'));

    expect(response.headers?.['access-control-allow-origin']).toBeUndefined();
    expect(response.headers?.['access-control-allow-methods']).toBeUndefined();
  });

  it('adds CORS headers to error answers too, exposing Retry-After', async () => {
    app = await collectorApp();

    const response = await app.invoke(
      await fixture('analytics-js-batch.json', (e) => {
        e.body = '{"writeKey": "wk_unknown", "batch": []}';
      }),
    );

    expect(response.statusCode).toBe(403);
    expect(response.headers).toMatchObject({
      'access-control-allow-origin': '*',
      'access-control-expose-headers': 'Retry-After',
    });
  });
});

describe('collector handler: logs', () => {
  it('logs counts and codes for a request, never keys, user ids or event content', async () => {
    app = await collectorApp({}, { logLevel: 'INFO' });

    const { output } = await captureStdout(async () => {
      await app.invoke(await fixture('native-events-gzip.json'));
      await app.invoke(await fixture('analytics-js-batch.json'));
      await app.invoke(
        await fixture('segment-batch.json', (e) => (e.headers.authorization = 'Basic d2tfbm9wZTo=')),
      );
    });

    const lines = output
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.map((l) => l.message)).toEqual(['events collected', 'events collected', 'request refused']);
    expect(lines[0]).toMatchObject({
      source_id: 'ios',
      received: 3,
      rejected: 1,
      rejected_codes: { MISSING_KEY: 1 },
    });
    for (const secret of [
      'wk_ios_77b2e0',
      'wk_web_3f9a1c',
      'wk_nope',
      'user-1042',
      'editor.comments',
      'Plan Selected',
    ]) {
      expect(output).not.toContain(secret);
    }
  });
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
      'too many events',
      (e: { body?: string }) => (e.body = JSON.stringify({ batch: Array(501).fill({}) })),
      413,
      { code: 'TOO_MANY_EVENTS', limit_events: 500 },
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
