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

  it('answers a body of 25,000 events that all fail their checks within the 6 MB Lambda response limit', async () => {
    app = await collectorApp();

    const response = await app.invoke(
      await fixture('segment-batch.json', (e) => {
        e.body = JSON.stringify({ batch: Array(25_000).fill({}) });
      }),
    );

    expect(response.statusCode).toBe(200);
    expect(jsonBody(response)).toMatchObject({ received: 25_000, accepted: 0 });
    // a synchronous Lambda answer holds at most 6 MB (6,291,456 bytes), headers included
    expect(Buffer.byteLength(response.body ?? '')).toBeLessThan(4 * 1024 * 1024);
  });

  it('answers GET /health with 200 {"status":"ok"}', async () => {
    app = await collectorApp();

    const response = await app.invoke(await fixture('health.json'));

    expect(response.statusCode).toBe(200);
    expect(jsonBody(response)).toEqual({ status: 'ok' });
  });
});

describe('collector handler: logs', () => {
  it('logs counts and codes for a request, never keys, user ids or event content', async () => {
    // Even with Powertools told to log incoming events, the handler keeps them out of the logs.
    process.env.POWERTOOLS_LOGGER_LOG_EVENT = 'true';
    app = await collectorApp({}, { logLevel: 'INFO' });
    delete process.env.POWERTOOLS_LOGGER_LOG_EVENT;

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
