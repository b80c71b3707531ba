import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type LocalStack, startLocalStack } from '../../lambdas/local/local-stack.ts';
import { tallyHome } from '../../lambdas/local/tally-home.ts';
import { type RawAnswer, rawExchange } from '../support/raw-http.ts';

/**
 * The local edge (the HTTP gateway in front of the real collector handler) answers hostile
 * bytes the way docs/COLLECTOR.md documents every refusal: JSON `{"error":{"code","reason"}}`,
 * with nothing of the request written to the stream. Requests go over raw sockets, since an HTTP
 * client would refuse to send them.
 */

let root: string;
let stack: LocalStack;
let port: number;
let key: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'tally-edge-'));
  stack = await startLocalStack({ home: tallyHome(root), port: 0, logLevel: 'SILENT' });
  port = Number(new URL(stack.url).port);
  key = stack.writeKeys.local!;
});
afterAll(async () => {
  await stack.stop();
  await rm(root, { recursive: true, force: true });
});

const EVENT = '{"event_name":"feature_used","user_id":"u1","workspace_id":"w1","feature_id":"editor"}';
const LENGTH = Buffer.byteLength(EVENT);
const CHUNK_SIZE = LENGTH.toString(16);

/** A well-formed request head (the body's length goes in `extra`), with `extra` header lines. */
const head = (extra: string[] = [], method = 'POST'): string =>
  [
    `${method} /v1/events HTTP/1.1`,
    'Host: 127.0.0.1',
    `X-Tally-Write-Key: ${key}`,
    'Content-Type: application/json',
    ...extra,
    '',
    '',
  ].join('\r\n');

const received = async (): Promise<number> => (await stack.status()).received;

/** The one answer of an exchange, checked to be the documented error shape with `code`. */
const refusal = (answers: readonly RawAnswer[], code: string) => {
  expect(answers).toHaveLength(1);
  const [answer] = answers as [RawAnswer];
  expect(answer.headers['content-type']).toBe('application/json; charset=utf-8');
  const body = JSON.parse(answer.body) as { error: { code: string; reason: string } };
  expect(body.error.code).toBe(code);
  expect(body.error.reason).toEqual(expect.any(String));
  return { status: answer.status, body };
};

describe('local edge: malformed HTTP', () => {
  it.each([
    ['a lower-case method', `${head([`Content-Length: ${LENGTH}`], 'post')}${EVENT}`],
    ['an unknown method', `${head([`Content-Length: ${LENGTH}`], 'P@ST')}${EVENT}`],
    [
      'Content-Length together with Transfer-Encoding',
      `${head([`Content-Length: ${LENGTH}`, 'Transfer-Encoding: chunked'])}${CHUNK_SIZE}\r\n${EVENT}\r\n0\r\n\r\n`,
    ],
    ['a chunk size that is not hex', `${head(['Transfer-Encoding: chunked'])}zz\r\n${EVENT}\r\n0\r\n\r\n`],
    [
      'a chunk without its CRLF',
      `${head(['Transfer-Encoding: chunked'])}${CHUNK_SIZE}\r\n${EVENT}XX0\r\n\r\n`,
    ],
    [
      'two different Content-Lengths',
      `${head([`Content-Length: ${LENGTH}`, `Content-Length: ${LENGTH + 1}`])}${EVENT}`,
    ],
    [
      'no Host header',
      `POST /v1/events HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: ${LENGTH}\r\n\r\n${EVENT}`,
    ],
  ])(
    'answers %s with 400 MALFORMED_HTTP in the documented shape and stores nothing',
    async (_name, bytes) => {
      const before = await received();

      const { answers, closedByServer } = await rawExchange(port, bytes);

      expect(refusal(answers, 'MALFORMED_HTTP').status).toBe(400);
      expect(closedByServer).toBe(true);
      expect(await received()).toBe(before);
    },
  );

  it('answers a 20 KB header with 431 HEADERS_TOO_LARGE naming the limit, and stores nothing', async () => {
    const before = await received();

    const { answers } = await rawExchange(
      port,
      `${head([`X-Padding: ${'a'.repeat(20_000)}`, `Content-Length: ${LENGTH}`])}${EVENT}`,
    );

    const { status, body } = refusal(answers, 'HEADERS_TOO_LARGE');
    expect(status).toBe(431);
    expect(body.error).toMatchObject({ limit_bytes: 16_384 });
    expect(await received()).toBe(before);
  });

  it('answers a whole request before refusing the bad bytes that follow it on the connection', async () => {
    const before = await received();

    const { answers } = await rawExchange(
      port,
      `${head([`Content-Length: ${LENGTH}`])}${EVENT}GARBAGE\r\n\r\n`,
    );

    expect(answers.map((a) => a.status)).toEqual([200, 400]);
    expect(JSON.parse(answers[0]!.body)).toEqual({ received: 1, accepted: 1, rejected: [] });
    expect(JSON.parse(answers[1]!.body).error.code).toBe('MALFORMED_HTTP');
    expect(await received()).toBe(before + 1);
  });

  it('counts what the edge refused in the status line', async () => {
    const before = (await stack.status()).requests['400'] ?? 0;

    await rawExchange(port, `${head([`Content-Length: ${LENGTH}`], 'post')}${EVENT}`);

    expect((await stack.status()).requests['400']).toBe(before + 1);
  });
});

describe('local edge: half-closed clients', () => {
  it('answers a client that shut its write side after sending the request, and its event lands once', async () => {
    const before = await received();

    const { answers, rest } = await rawExchange(port, `${head([`Content-Length: ${LENGTH}`])}${EVENT}`, {
      halfClose: true,
    });

    expect(rest).toBe('');
    expect(answers.map((a) => a.status)).toEqual([200]);
    expect(JSON.parse(answers[0]!.body)).toEqual({ received: 1, accepted: 1, rejected: [] });
    expect(await received()).toBe(before + 1);
  });

  it('answers a client that shut its write side before the whole body arrived with 400, and stores nothing', async () => {
    const before = await received();

    const { answers } = await rawExchange(port, `${head([`Content-Length: ${LENGTH + 100}`])}${EVENT}`, {
      halfClose: true,
    });

    expect(refusal(answers, 'MALFORMED_HTTP').status).toBe(400);
    expect(await received()).toBe(before);
  });
});

describe('local edge: payload limit', () => {
  it("answers a body over API Gateway's 10 MiB with the collector's own 413 REQUEST_TOO_LARGE", async () => {
    const before = await received();
    const huge = Buffer.alloc(10 * 1024 * 1024 + 1, 'x');
    const overCollectorLimit = JSON.stringify({ ...JSON.parse(EVENT), pad: 'y'.repeat(600 * 1024) });
    const fromCollector = await fetch(`${stack.url}/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-tally-write-key': key },
      body: overCollectorLimit,
    });

    const { answers } = await rawExchange(
      port,
      Buffer.concat([Buffer.from(head([`Content-Length: ${huge.length}`])), huge]),
    );

    const atTheEdge = refusal(answers, 'REQUEST_TOO_LARGE');
    expect(atTheEdge).toEqual({ status: fromCollector.status, body: await fromCollector.json() });
    expect(atTheEdge.body.error).toMatchObject({ limit_bytes: 512 * 1024 });
    expect(await received()).toBe(before);
  });
});
