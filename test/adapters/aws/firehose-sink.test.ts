import {
  FirehoseClient,
  PutRecordBatchCommand,
  type PutRecordBatchCommandOutput,
  ResourceNotFoundException,
  ServiceUnavailableException,
} from '@aws-sdk/client-firehose';
import { mockClient } from 'aws-sdk-client-mock';
import { AwsCallRejectedError } from '#adapters/aws/errors.ts';
import { FIREHOSE_LIMITS, FirehoseLineSink } from '#adapters/aws/firehose-sink.ts';

const STREAM = 'tally-events';
const client = new FirehoseClient({
  region: 'us-east-1',
  credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
});
const firehose = mockClient(client);

/**
 * The exact PutRecordBatch input for records whose data are these texts. Data is compared as
 * decoded text: the same bytes for valid UTF-8, and far faster for Jest than megabyte buffers.
 */
const batch = (...records: string[]) => ({
  DeliveryStreamName: STREAM,
  Records: records.map((Data) => ({ Data })),
});
const sentInputs = () =>
  firehose.commandCalls(PutRecordBatchCommand).map(({ args: [{ input }] }) => ({
    DeliveryStreamName: input.DeliveryStreamName,
    Records: input.Records?.map((record) => {
      expect(record.Data).toBeInstanceOf(Uint8Array);
      return { Data: Buffer.from(record.Data!).toString('utf8') };
    }),
  }));

const stored = (n: number): Partial<PutRecordBatchCommandOutput> => ({
  FailedPutCount: 0,
  RequestResponses: Array.from({ length: n }, (_, i) => ({ RecordId: `r${i}` })),
});
/** A response where the records at `refused` positions got an ErrorCode. */
const partly = (n: number, refused: number[]): Partial<PutRecordBatchCommandOutput> => ({
  FailedPutCount: refused.length,
  RequestResponses: Array.from({ length: n }, (_, i) =>
    refused.includes(i)
      ? { ErrorCode: 'ServiceUnavailableException', ErrorMessage: 'Slow down.' }
      : { RecordId: `r${i}` },
  ),
});
const throttled = () =>
  new ServiceUnavailableException({ message: 'Slow down.', $metadata: { httpStatusCode: 503 } });

/** A JSON line of exactly `bytes` UTF-8 bytes (without its newline). */
const lineOf = (bytes: number, tag = 'x'): string => `{"${tag}":"${'a'.repeat(bytes - tag.length - 7)}"}`;

describe('FirehoseLineSink', () => {
  let waits: number[];
  const sink = (options: { maxRecordBytes?: number } = {}) =>
    new FirehoseLineSink(client, STREAM, {
      ...options,
      backoff: { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 1_000 },
      sleep: async (ms) => {
        waits.push(ms);
      },
      random: () => 0.5,
    });

  beforeEach(() => {
    firehose.reset();
    waits = [];
  });
  afterAll(() => firehose.restore());

  it('packs all lines into one newline-terminated record when they fit', async () => {
    firehose.on(PutRecordBatchCommand).resolves(stored(1));

    const result = await sink().write(['{"a":1}', '{"b":"é"}', '{"c":3}']);

    expect(result).toEqual({ failed: [] });
    expect(sentInputs()).toEqual([batch('{"a":1}\n{"b":"é"}\n{"c":3}\n')]);
    expect(waits).toEqual([]);
  });

  it('sends nothing for no lines', async () => {
    const result = await sink().write([]);

    expect(result).toEqual({ failed: [] });
    expect(sentInputs()).toEqual([]);
  });

  it('retries only the refused record and reports nothing when the retry stores it', async () => {
    const lines = [lineOf(600 * 1024, 'l0'), lineOf(600 * 1024, 'l1'), lineOf(600 * 1024, 'l2')];
    firehose
      .on(PutRecordBatchCommand)
      .resolvesOnce(partly(3, [1]))
      .resolvesOnce(stored(1));

    const result = await sink().write(lines);

    expect(result).toEqual({ failed: [] });
    expect(sentInputs()).toEqual([
      batch(`${lines[0]}\n`, `${lines[1]}\n`, `${lines[2]}\n`),
      batch(`${lines[1]}\n`),
    ]);
    expect(waits).toEqual([50]);
  });

  it('reports every line of a record refused on every attempt, and waits longer each time', async () => {
    // 300 KiB lines: three fit in one record, so 7 lines make records [0-2] [3-5] [6].
    const lines = Array.from({ length: 7 }, (_, i) => lineOf(300 * 1024, `l${i}`));
    const record = (from: number, to: number) => `${lines.slice(from, to + 1).join('\n')}\n`;
    firehose
      .on(PutRecordBatchCommand)
      .resolvesOnce(partly(3, [1]))
      .resolves(partly(1, [0]));

    const result = await sink().write(lines);

    expect(result).toEqual({ failed: [3, 4, 5] });
    expect(sentInputs()).toEqual([
      batch(record(0, 2), record(3, 5), record(6, 6)),
      batch(record(3, 5)),
      batch(record(3, 5)),
    ]);
    expect(waits).toEqual([50, 100]);
  });

  it('retries a call that failed with a throttling exception', async () => {
    firehose.on(PutRecordBatchCommand).rejectsOnce(throttled()).resolves(stored(1));

    const result = await sink().write(['{"a":1}', '{"b":2}']);

    expect(result).toEqual({ failed: [] });
    expect(sentInputs()).toEqual([batch('{"a":1}\n{"b":2}\n'), batch('{"a":1}\n{"b":2}\n')]);
    expect(waits).toEqual([50]);
  });

  it('reports all lines, without throwing, when throttling outlasts the attempts', async () => {
    firehose.on(PutRecordBatchCommand).rejects(throttled());

    const result = await sink().write(['{"a":1}', '{"b":2}']);

    expect(result).toEqual({ failed: [0, 1] });
    expect(sentInputs()).toHaveLength(3);
  });

  it('throws, without retrying, when the delivery stream does not exist', async () => {
    firehose
      .on(PutRecordBatchCommand)
      .rejects(new ResourceNotFoundException({ message: 'Firehose tally-events not found.', $metadata: {} }));

    const write = sink().write(['{"a":1}']);

    await expect(write).rejects.toThrow(AwsCallRejectedError);
    await expect(write).rejects.toThrow(
      'PutRecordBatch on tally-events was rejected: ResourceNotFoundException: Firehose tally-events not found.',
    );
    expect(sentInputs()).toHaveLength(1);
  });

  it('gives a line of exactly 1,000 KiB with its newline a record of its own', async () => {
    const big = lineOf(FIREHOSE_LIMITS.recordBytes - 1);
    firehose.on(PutRecordBatchCommand).resolves(stored(3));

    const result = await sink().write(['{"a":1}', big, '{"b":2}']);

    expect(result).toEqual({ failed: [] });
    expect(sentInputs()).toEqual([batch('{"a":1}\n', `${big}\n`, '{"b":2}\n')]);
  });

  it('reports a line too long for any record without sending it, and stores its neighbours', async () => {
    const tooBig = lineOf(FIREHOSE_LIMITS.recordBytes);
    firehose.on(PutRecordBatchCommand).resolves(stored(2));

    const result = await sink().write(['{"a":1}', tooBig, '{"b":2}']);

    expect(result).toEqual({ failed: [1] });
    expect(sentInputs()).toEqual([batch('{"a":1}\n', '{"b":2}\n')]);
  });

  it('starts a new call before the records would pass 4 MiB', async () => {
    // Five records of 1,000 KiB: four make 4,000 KiB (under 4 MiB), a fifth would not fit.
    const lines = Array.from({ length: 5 }, (_, i) => lineOf(FIREHOSE_LIMITS.recordBytes - 1, `l${i}`));
    firehose.on(PutRecordBatchCommand).resolvesOnce(stored(4)).resolvesOnce(stored(1));

    const result = await sink().write(lines);

    expect(result).toEqual({ failed: [] });
    expect(sentInputs()).toEqual([batch(...lines.slice(0, 4).map((l) => `${l}\n`)), batch(`${lines[4]}\n`)]);
  });

  it('packs thousands of event-sized lines into a few records instead of one per line', async () => {
    // 682 lines of 1,501 bytes fill a record; four such records are 3.9 MiB, a fifth opens a second call.
    const lines = Array.from({ length: 3_000 }, (_, i) => lineOf(1_500, `e${i}`));
    const record = (from: number, to: number) => `${lines.slice(from, to).join('\n')}\n`;
    firehose.on(PutRecordBatchCommand).resolvesOnce(stored(4)).resolvesOnce(stored(1));

    const result = await sink().write(lines);

    expect(result).toEqual({ failed: [] });
    expect(sentInputs()).toEqual([
      batch(record(0, 682), record(682, 1_364), record(1_364, 2_046), record(2_046, 2_728)),
      batch(record(2_728, 3_000)),
    ]);
  });

  it('splits more than 500 records into calls of at most 500', async () => {
    // Records capped at one small line each, so 1,001 lines make 1,001 records.
    const lines = Array.from({ length: 1_001 }, (_, i) => `{"n":${String(i).padStart(4, '0')}}`);
    firehose
      .on(PutRecordBatchCommand)
      .resolvesOnce(stored(500))
      .resolvesOnce(partly(500, [499]))
      .resolvesOnce(stored(1))
      .resolvesOnce(stored(1));

    const result = await sink({ maxRecordBytes: 20 }).write(lines);

    expect(result).toEqual({ failed: [] });
    expect(sentInputs()).toEqual([
      batch(...lines.slice(0, 500).map((l) => `${l}\n`)),
      batch(...lines.slice(500, 1_000).map((l) => `${l}\n`)),
      batch(`${lines[1_000]}\n`),
      batch(`${lines[999]}\n`),
    ]);
  });

  it('refuses a record size above the Firehose limit', () => {
    expect(() => sink({ maxRecordBytes: FIREHOSE_LIMITS.recordBytes + 1 })).toThrow(
      'maxRecordBytes for delivery stream tally-events must be 2..1024000, got 1024001',
    );
  });
});
