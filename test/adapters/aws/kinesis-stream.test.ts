import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KinesisClient, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { mockClient } from 'aws-sdk-client-mock';
import { AwsCallRejectedError, StreamRecordTooLargeError } from '#adapters/aws/errors.ts';
import {
  collectorKinesisClientConfig,
  KINESIS_LIMITS,
  KinesisEventStream,
} from '#adapters/aws/kinesis-stream.ts';
import { StreamUnavailableError } from '#core/collector/errors.ts';
import type { StreamRecord } from '#core/collector/ports.ts';
import { DEFAULT_COLLECTOR_SETTINGS } from '#core/collector/settings.ts';
import { writeAllRecords } from '#core/collector/stream-writer.ts';
import {
  createStream,
  type RunningKinesalite,
  readStream,
  startKinesalite,
} from '../../support/kinesalite.ts';

const text = (data: Uint8Array): string => Buffer.from(data).toString('utf8');
const record = (partitionKey: string, body: string): StreamRecord => ({
  partitionKey,
  data: Buffer.from(body, 'utf8'),
});

describe('KinesisEventStream against kinesalite', () => {
  let kinesis: RunningKinesalite;
  let putRecordsCalls: number;
  let streamCount = 0;

  const freshStream = async (shards = 1): Promise<string> => {
    const name = `raw-${++streamCount}`;
    await createStream(kinesis.client, name, shards);
    return name;
  };

  beforeAll(async () => {
    kinesis = await startKinesalite();
    // Count real PutRecords calls as they leave the client, to observe chunking.
    kinesis.client.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'PutRecordsCommand') putRecordsCalls++;
        return next(args);
      },
      { step: 'initialize', name: 'countPutRecords' },
    );
  });
  beforeEach(() => {
    putRecordsCalls = 0;
  });
  afterAll(async () => {
    await kinesis.stop();
  });

  it('stores the records byte for byte with their partition keys', async () => {
    const streamName = await freshStream();
    const records = [
      record('ws-1', '{"v":1}\n{"event":"doc.opened"}'),
      record('ws-2', '{"v":1}\n{"event":"café ☕ mention"}'),
    ];

    const result = await new KinesisEventStream(kinesis.client, streamName).putRecords(records);

    expect(result).toEqual({ failed: [] });
    const stored = await readStream(kinesis.client, streamName);
    expect(stored.map((r) => [r.partitionKey, text(r.data)])).toEqual([
      ['ws-1', '{"v":1}\n{"event":"doc.opened"}'],
      ['ws-2', '{"v":1}\n{"event":"café ☕ mention"}'],
    ]);
  });

  it('splits more than 500 records into calls of at most 500', async () => {
    const streamName = await freshStream();
    const records = Array.from({ length: 1_201 }, (_, i) => record(`ws-${i % 7}`, `{"n":${i}}`));

    const result = await new KinesisEventStream(kinesis.client, streamName).putRecords(records);

    expect(result).toEqual({ failed: [] });
    expect(putRecordsCalls).toBe(3);
    const stored = await readStream(kinesis.client, streamName);
    expect(stored.map((r) => text(r.data))).toEqual(records.map((r) => text(r.data)));
  });

  it('splits a call before it would pass 5 MiB, counting partition keys', async () => {
    const streamName = await freshStream();
    // Six records of exactly 1 MiB each (data + key): five fill a call, the sixth needs another.
    const key = 'ws-big';
    const body = 'x'.repeat(KINESIS_LIMITS.recordBytes - key.length);
    const records = Array.from({ length: 6 }, () => record(key, body));

    const result = await new KinesisEventStream(kinesis.client, streamName).putRecords(records);

    expect(result).toEqual({ failed: [] });
    expect(putRecordsCalls).toBe(2);
    const stored = await readStream(kinesis.client, streamName);
    expect(stored.map((r) => r.data.byteLength)).toEqual(records.map(() => body.length));
  });

  it('refuses a record over 1 MiB before sending anything', async () => {
    const streamName = await freshStream();
    const records = [record('ws-1', '{}'), record('k', 'x'.repeat(KINESIS_LIMITS.recordBytes))];

    const put = new KinesisEventStream(kinesis.client, streamName).putRecords(records);

    await expect(put).rejects.toThrow(StreamRecordTooLargeError);
    await expect(put).rejects.toMatchObject({ index: 1, bytes: KINESIS_LIMITS.recordBytes + 1 });
    expect(putRecordsCalls).toBe(0);
  });

  it('throws a rejected-call error naming the stream when it does not exist', async () => {
    const put = new KinesisEventStream(kinesis.client, 'no-such-stream').putRecords([record('ws-1', '{}')]);

    await expect(put).rejects.toThrow(AwsCallRejectedError);
    await expect(put).rejects.toThrow(/PutRecords on no-such-stream was rejected: ResourceNotFoundException/);
  });

  it('sends nothing for an empty list', async () => {
    const result = await new KinesisEventStream(kinesis.client, 'unused').putRecords([]);

    expect(result).toEqual({ failed: [] });
    expect(putRecordsCalls).toBe(0);
  });
});

// kinesalite never refuses single records, so per-record failures are played by a mocked client.
describe('KinesisEventStream partial failures', () => {
  const client = new KinesisClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
  });
  const kinesisMock = mockClient(client);
  afterEach(() => kinesisMock.reset());
  afterAll(() => kinesisMock.restore());

  const ok = (n: number) => ({ SequenceNumber: `${n}`, ShardId: 'shardId-000000000000' });
  const throttled = {
    ErrorCode: 'ProvisionedThroughputExceededException',
    ErrorMessage: 'Rate exceeded for shard shardId-000000000000',
  };

  it('reports the indexes whose entries carry an ErrorCode', async () => {
    kinesisMock
      .on(PutRecordsCommand)
      .resolves({ FailedRecordCount: 2, Records: [ok(1), throttled, ok(2), throttled] });
    const records = ['a', 'b', 'c', 'd'].map((body) => record('ws-1', body));

    const result = await new KinesisEventStream(client, 'raw').putRecords(records);

    expect(result).toEqual({ failed: [1, 3] });
  });

  it('maps failures in a later call back to indexes of the whole list', async () => {
    kinesisMock
      .on(PutRecordsCommand)
      .resolvesOnce({ FailedRecordCount: 0, Records: Array.from({ length: 500 }, (_, i) => ok(i)) })
      .resolvesOnce({ FailedRecordCount: 1, Records: [ok(500), throttled] });
    const records = Array.from({ length: 502 }, (_, i) => record('ws-1', `${i}`));

    const result = await new KinesisEventStream(client, 'raw').putRecords(records);

    expect(result).toEqual({ failed: [501] });
    expect(
      kinesisMock.commandCalls(PutRecordsCommand).map((call) => call.args[0].input.Records?.length),
    ).toEqual([500, 2]);
  });

  it('reports every record of a call that failed with a retryable error', async () => {
    const unavailable = Object.assign(new Error('Service unavailable'), {
      name: 'InternalFailure',
      $fault: 'server',
      $metadata: { httpStatusCode: 500 },
    });
    kinesisMock
      .on(PutRecordsCommand)
      .resolvesOnce({ FailedRecordCount: 0, Records: Array.from({ length: 500 }, (_, i) => ok(i)) })
      .rejectsOnce(unavailable);
    const records = Array.from({ length: 503 }, (_, i) => record('ws-1', `${i}`));

    const result = await new KinesisEventStream(client, 'raw').putRecords(records);

    expect(result).toEqual({ failed: [500, 501, 502] });
  });
});

describe("the collector's Kinesis client", () => {
  /** An endpoint that throttles every call, as Kinesis does when a shard is over its write limit. */
  let server: Server;
  let endpoint: string;
  let requests = 0;
  beforeAll(async () => {
    server = createServer((request, response) => {
      requests++;
      request.resume();
      request.on('end', () => {
        response.writeHead(400, { 'content-type': 'application/x-amz-json-1.1' });
        response.end(
          JSON.stringify({
            __type: 'ProvisionedThroughputExceededException',
            message: 'Rate exceeded for shard shardId-000000000000',
          }),
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  beforeEach(() => {
    requests = 0;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const retry = { ...DEFAULT_COLLECTOR_SETTINGS.streamRetry, maxAttempts: 3 };
  const client = () =>
    new KinesisClient({
      ...collectorKinesisClientConfig(retry),
      endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      // The throttling endpoint speaks HTTP/1.1; the retry settings are what is under test.
      requestHandler: new NodeHttpHandler({ requestTimeout: retry.maxTotalMs }),
    });

  it('makes one attempt per call and reports the throttled records for the collector to retry', async () => {
    const stream = new KinesisEventStream(client(), 'raw');

    const result = await stream.putRecords([record('ws-1', 'a'), record('ws-2', 'b')]);

    expect(result).toEqual({ failed: [0, 1] });
    expect(requests).toBe(1);
  });

  it("keeps a throttled request to the collector's own attempts (3 calls, not 3 SDK attempts each)", async () => {
    const write = writeAllRecords(
      [record('ws-1', 'a')],
      {
        stream: new KinesisEventStream(client(), 'raw'),
        clock: { now: () => 0 },
        sleep: async () => undefined,
        random: () => 0,
      },
      retry,
    );

    await expect(write).rejects.toBeInstanceOf(StreamUnavailableError);
    expect(requests).toBe(3);
  });
});
