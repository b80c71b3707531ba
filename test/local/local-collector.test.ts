import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { createCollectorHttpHandler } from '#adapters/aws/handlers/collector-http-handler.ts';
import { FileWriteKeyStore } from '#adapters/local/file-write-key-store.ts';
import { localLambdaContext } from '#adapters/local/lambda-context.ts';
import { gunzipBody } from '#adapters/node/gunzip-body.ts';
import { createCollector } from '#core/collector/collector.ts';
import type { StreamRecord } from '#core/collector/ports.ts';
import { type LocalStack, startLocalStack } from '../../lambdas/local/local-stack.ts';
import { tallyHome } from '../../lambdas/local/tally-home.ts';

/** A raw HTTP request, sent as is to the local server and turned by hand into the event API Gateway would build. */
interface RawRequest {
  readonly name: string;
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body?: Buffer;
}

let root: string;
let stack: LocalStack;
let key: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'tally-collector-'));
  stack = await startLocalStack({ home: tallyHome(root), port: 0, logLevel: 'SILENT' });
  key = stack.writeKeys.local!;
});
afterAll(async () => {
  await stack.stop();
  await rm(root, { recursive: true, force: true });
});

const json = (text: string) => Buffer.from(text, 'utf8');
const keyed = (extra: Record<string, string> = {}) => ({
  'content-type': 'application/json',
  'x-tally-write-key': key,
  ...extra,
});
const deep = (depth: number): string => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

const malformed = (): RawRequest[] => [
  {
    name: 'malformed JSON',
    method: 'POST',
    path: '/v1/events',
    headers: keyed(),
    body: json('{"events":[{"event_name":'),
  },
  {
    name: 'no write key',
    method: 'POST',
    path: '/v1/events',
    headers: { 'content-type': 'application/json' },
    body: json('{"event_name":"x","user_id":"u"}'),
  },
  {
    name: 'unknown write key (Basic)',
    method: 'POST',
    path: '/v1/batch',
    headers: {
      'content-type': 'application/json',
      authorization: `Basic ${Buffer.from('wk_nope:').toString('base64')}`,
    },
    body: json('{"batch":[]}'),
  },
  {
    name: 'Bearer instead of Basic',
    method: 'POST',
    path: '/v1/batch',
    headers: { 'content-type': 'application/json', authorization: 'Bearer abc' },
    body: json('{"batch":[]}'),
  },
  { name: 'empty body', method: 'POST', path: '/v1/events', headers: keyed() },
  {
    name: 'gzip header on plain bytes',
    method: 'POST',
    path: '/v1/events',
    headers: keyed({ 'content-encoding': 'gzip' }),
    body: json('{"event_name":"x"}'),
  },
  {
    name: 'unknown content encoding',
    method: 'POST',
    path: '/v1/events',
    headers: keyed({ 'content-encoding': 'br' }),
    body: gzipSync('{}'),
  },
  {
    name: 'body not UTF-8',
    method: 'POST',
    path: '/v1/events',
    headers: keyed(),
    body: Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]),
  },
  {
    name: 'unsupported content type',
    method: 'POST',
    path: '/v1/events',
    headers: keyed({ 'content-type': 'application/xml' }),
    body: json('<event/>'),
  },
  {
    name: 'a degenerate body of more than 25,000 items',
    method: 'POST',
    path: '/v1/events',
    headers: keyed(),
    body: json(JSON.stringify({ events: Array(25_001).fill(1) })),
  },
  {
    name: 'body over the limit',
    method: 'POST',
    path: '/v1/events',
    headers: keyed(),
    body: json(JSON.stringify({ event_name: 'x', pad: 'y'.repeat(600 * 1024) })),
  },
  { name: 'nesting too deep', method: 'POST', path: '/v1/events', headers: keyed(), body: json(deep(40)) },
  {
    name: 'array where an object belongs',
    method: 'POST',
    path: '/v1/events',
    headers: keyed(),
    body: json('[1,2]'),
  },
  {
    name: 'batch that is not an array',
    method: 'POST',
    path: '/v1/batch',
    headers: keyed(),
    body: json('{"batch":{}}'),
  },
  { name: 'wrong method', method: 'GET', path: '/v1/events', headers: keyed() },
  { name: 'unknown route', method: 'POST', path: '/v1/evnts', headers: keyed(), body: json('{}') },
  {
    name: 'CORS preflight',
    method: 'OPTIONS',
    path: '/v1/batch',
    headers: { origin: 'https://app.example.com', 'access-control-request-method': 'POST' },
  },
];

/** The event API Gateway (HTTP API, payload 2.0) builds for the request, written out independently of the local gateway. */
const apiGatewayEvent = (request: RawRequest): APIGatewayProxyEventV2 => {
  const body = request.body ?? Buffer.alloc(0);
  const binary =
    request.headers['content-encoding'] !== undefined ||
    !/^(application\/json|text\/)/.test(request.headers['content-type'] ?? '') ||
    !Buffer.from(body.toString('utf8'), 'utf8').equals(body);
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: request.path,
    rawQueryString: '',
    headers: request.headers,
    requestContext: {
      accountId: '123456789012',
      apiId: 'api',
      domainName: 'collect.example.com',
      domainPrefix: 'collect',
      http: {
        method: request.method,
        path: request.path,
        protocol: 'HTTP/1.1',
        sourceIp: '203.0.113.7',
        userAgent: '',
      },
      requestId: 'direct-request',
      routeKey: '$default',
      stage: '$default',
      time: '09/Mar/2025:17:42:05 +0000',
      timeEpoch: 0,
    },
    ...(body.length > 0 ? { body: binary ? body.toString('base64') : body.toString('utf8') } : {}),
    isBase64Encoded: body.length > 0 && binary,
  };
};

/** What matters of an answer: status, body, and the headers clients act on. */
const answerOf = (status: number, headers: (name: string) => string | null | undefined, body: string) => ({
  status,
  body: body === '' ? null : JSON.parse(body),
  headers: Object.fromEntries(
    [
      'content-type',
      'allow',
      'www-authenticate',
      'retry-after',
      'access-control-allow-origin',
      'access-control-allow-methods',
    ]
      .map((h) => [h, headers(h) ?? null])
      .filter(([, v]) => v !== null),
  ),
});

describe('local collector', () => {
  it('answers every malformed request over HTTP exactly as the collector handler does when invoked directly', async () => {
    const stored: StreamRecord[] = [];
    const direct = createCollectorHttpHandler(
      createCollector({
        inflate: gunzipBody,
        stream: {
          putRecords: async (records) => {
            stored.push(...records);
            return { failed: [] };
          },
        },
        writeKeys: new FileWriteKeyStore(tallyHome(root).writeKeysFile),
      }),
      new Logger({ logLevel: 'SILENT' }),
    );

    for (const request of malformed()) {
      const response = await fetch(`${stack.url}${request.path}`, {
        method: request.method,
        headers: request.headers,
        ...(request.body ? { body: request.body } : {}),
      });
      const overHttp = answerOf(response.status, (h) => response.headers.get(h), await response.text());
      const result = await direct(
        apiGatewayEvent(request),
        localLambdaContext('tally-collector', 'direct-request'),
      );
      const invoked = answerOf(
        result.statusCode ?? 200,
        (h) => result.headers?.[h]?.toString(),
        result.body ?? '',
      );

      expect({ request: request.name, ...overHttp }).toEqual({ request: request.name, ...invoked });
      expect(overHttp.status === 204 || overHttp.status >= 400).toBe(true);
    }
    expect(stored).toEqual([]);
  });

  it('acknowledges a good request only once its events are on the durable stream', async () => {
    const response = await fetch(`${stack.url}/v1/events`, {
      method: 'POST',
      headers: keyed(),
      body: JSON.stringify({
        events: [{ event_name: 'feature_used', user_id: 'u1', workspace_id: 'w1', feature_id: 'editor' }],
      }),
    });

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ received: 1, accepted: 1, rejected: [] });
    expect((await stack.status()).received).toBe(1);
  });
});
