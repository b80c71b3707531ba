import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DemoRequest } from '#demo/demo-request.ts';
import { RequestSender } from '../../lambdas/local/request-sender.ts';
import { until } from '../support/until.ts';

/** A collector stand-in that answers each request with the next status of `statuses` (the last one repeats). */
const answering = async (statuses: readonly number[]) => {
  const received: string[] = [];
  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      received.push(body);
      response.statusCode = statuses[Math.min(received.length, statuses.length) - 1] ?? 200;
      response.end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, received, close: () => new Promise((resolve) => server.close(resolve)) };
};

const request = (expectStatus = 200) =>
  new DemoRequest({
    seq: 1,
    method: 'POST',
    path: '/v1/events',
    source: 'web-app',
    sendAt: 0,
    expectStatus,
    shape: 'raw',
    items: [{ value: {}, event: null }],
    writeKey: 'wk',
    placement: 'header',
    gzip: false,
    rawBody: '{"event":"x"}',
  });

describe('RequestSender', () => {
  it('retries a request after 503, 429 and 500 until the collector acknowledges it, counting its events once', async () => {
    const collector = await answering([503, 429, 500, 200]);
    const sender = new RequestSender({ url: collector.url, retryDelayMs: 1 });

    await sender.sendAll([request()]);
    await collector.close();

    expect(collector.received).toHaveLength(4);
    expect(sender.stats).toMatchObject({ requests: 1, acknowledgedEvents: 1, retries: 3, unexpected: 0 });
  });

  it('does not retry a 4xx, and reports one it did not expect', async () => {
    const collector = await answering([400]);
    const unexpected: number[] = [];
    const sender = new RequestSender({
      url: collector.url,
      retryDelayMs: 1,
      onUnexpected: (_, status) => unexpected.push(status),
    });

    await sender.sendAll([request(200)]);
    await collector.close();

    expect(collector.received).toHaveLength(1);
    expect(sender.stats).toMatchObject({ requests: 1, refusedRequests: 1, retries: 0, unexpected: 1 });
    expect(unexpected).toEqual([400]);
  });

  it('gives up a request the collector keeps refusing once the signal aborts, leaving it unacknowledged', async () => {
    const collector = await answering([503]);
    const stop = new AbortController();
    const sender = new RequestSender({ url: collector.url, retryDelayMs: 1, signal: stop.signal });

    const sending = sender.sendAll([request()]);
    await until(() => collector.received.length >= 3);
    stop.abort();
    await sending;
    await collector.close();

    expect(sender.stats).toMatchObject({ requests: 0, acknowledgedEvents: 0 });
  });
});
