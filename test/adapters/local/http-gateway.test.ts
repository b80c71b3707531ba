import { gzipSync } from 'node:zlib';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { type HttpApiHandler, type HttpGateway, startHttpGateway } from '#adapters/local/http-gateway.ts';

let gateway: HttpGateway | undefined;
afterEach(async () => {
  await gateway?.close();
  gateway = undefined;
});

/** Starts the gateway over a handler that remembers the last event it got. */
const echo = async (
  answer: Awaited<ReturnType<HttpApiHandler>> = { statusCode: 204 },
  maxBodyBytes?: number,
) => {
  const events: APIGatewayProxyEventV2[] = [];
  gateway = await startHttpGateway({
    handler: async (event) => {
      events.push(event);
      return answer;
    },
    ...(maxBodyBytes === undefined ? {} : { maxBodyBytes }),
  });
  return events;
};

describe('startHttpGateway', () => {
  it('listens on the loopback interface only', async () => {
    await echo();

    expect(gateway!.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('hands the handler an HTTP API 2.0 event with path, query, lower-cased headers and a text body', async () => {
    const events = await echo();

    await fetch(`${gateway!.url}/v1/batch?debug=1&debug=2`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Tally-Write-Key': 'k', Cookie: 'a=1; b=2' },
      body: '{"batch":[]}',
    });

    const event = events[0]!;
    expect(event).toMatchObject({
      version: '2.0',
      routeKey: '$default',
      rawPath: '/v1/batch',
      rawQueryString: 'debug=1&debug=2',
      queryStringParameters: { debug: '1,2' },
      cookies: ['a=1', 'b=2'],
      body: '{"batch":[]}',
      isBase64Encoded: false,
      requestContext: {
        http: { method: 'POST', path: '/v1/batch', sourceIp: '127.0.0.1' },
        stage: '$default',
      },
    });
    expect(event.headers['content-type']).toBe('application/json');
    expect(event.headers['x-tally-write-key']).toBe('k');
    expect(event.requestContext.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('passes a gzip body base64-encoded, as API Gateway does for encoded content', async () => {
    const events = await echo();
    const gzipped = gzipSync('{"event":"x"}');

    await fetch(`${gateway!.url}/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      body: gzipped,
    });

    expect(events[0]!.isBase64Encoded).toBe(true);
    expect(Buffer.from(events[0]!.body!, 'base64')).toEqual(gzipped);
  });

  it('writes a structured result back with its status, headers and body', async () => {
    await echo({
      statusCode: 400,
      headers: { 'Content-Type': 'application/json', 'Retry-After': 2 },
      body: '{"e":1}',
    });

    const response = await fetch(`${gateway!.url}/v1/events`, { method: 'POST', body: '{}' });

    expect(response.status).toBe(400);
    expect(response.headers.get('retry-after')).toBe('2');
    expect(response.headers.get('apigw-requestid')).toMatch(/^[0-9a-f-]{36}$/);
    expect(await response.text()).toBe('{"e":1}');
  });

  it('answers a plain string result as a 200 JSON body', async () => {
    await echo('{"ok":true}');

    const response = await fetch(`${gateway!.url}/health`);

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.json()).toEqual({ ok: true });
  });

  it('answers 500 INTERNAL_ERROR in the documented shape when the handler throws', async () => {
    const errors: unknown[] = [];
    gateway = await startHttpGateway({
      handler: async () => {
        throw new Error('boom');
      },
      onHandlerError: (e) => errors.push(e),
    });

    const response = await fetch(`${gateway.url}/v1/events`, { method: 'POST', body: '{}' });

    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({
      error: { code: 'INTERNAL_ERROR', reason: 'unexpected server error' },
    });
    expect(errors).toHaveLength(1);
  });

  it('answers 413 REQUEST_TOO_LARGE without calling the handler when the body passes the payload limit', async () => {
    const events = await echo({ statusCode: 200 }, 100);

    const response = await fetch(`${gateway!.url}/v1/events`, { method: 'POST', body: 'x'.repeat(101) });

    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({
      error: {
        code: 'REQUEST_TOO_LARGE',
        reason: 'request body exceeds 100 bytes; split it into smaller batches',
        limit_bytes: 100,
      },
    });
    expect(events).toHaveLength(0);
  });

  it("names the advertised body limit (the handler's own) in its 413", async () => {
    gateway = await startHttpGateway({
      handler: async () => ({ statusCode: 200 }),
      maxBodyBytes: 100,
      advertisedBodyLimitBytes: 50,
    });

    const response = await fetch(`${gateway.url}/v1/events`, { method: 'POST', body: 'x'.repeat(101) });

    const body = (await response.json()) as { error: unknown };
    expect(body.error).toMatchObject({ code: 'REQUEST_TOO_LARGE', limit_bytes: 50 });
  });

  it('lets a request in progress finish before it closes', async () => {
    let release: () => void = () => undefined;
    gateway = await startHttpGateway({
      handler: async () => {
        await new Promise<void>((resolve) => (release = resolve));
        return { statusCode: 200, body: 'done' };
      },
    });
    const pending = fetch(`${gateway.url}/v1/events`, { method: 'POST', body: '{}' });
    await new Promise((r) => setTimeout(r, 50));

    const closing = gateway.close();
    release();
    const response = await pending;
    await closing;
    gateway = undefined;

    expect(await response.text()).toBe('done');
  });
});
