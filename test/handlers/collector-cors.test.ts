import { collectorApp, fixture } from '../core/collector/support/http-app.ts';

let app: Awaited<ReturnType<typeof collectorApp>>;
afterEach(async () => {
  await app?.cleanup();
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
