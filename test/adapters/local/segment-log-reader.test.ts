import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CheckpointFile } from '#adapters/local/checkpoint-file.ts';
import { LogConsumer } from '#adapters/local/log-consumer.ts';
import { SegmentLog } from '#adapters/local/segment-log.ts';
import { SegmentLogReader } from '#adapters/local/segment-log-reader.ts';

let dir: string;
let log: SegmentLog;
const limits = { maxRecords: 1000, maxBytes: 1024 * 1024 };

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tally-log-reader-'));
  log = await SegmentLog.open(join(dir, 'stream'), { segmentBytes: 256 });
});
afterEach(async () => {
  await log.close();
  await rm(dir, { recursive: true, force: true });
});

const append = (...texts: string[]) =>
  log.append(texts.map((t) => ({ partitionKey: 'k', data: Buffer.from(t) })));
const openReader = (onConsumed?: (position: number) => void) =>
  SegmentLogReader.open(log.dir, { durableEnd: log.durableEnd, ...(onConsumed ? { onConsumed } : {}) });
const follow = (reader: SegmentLogReader) => reader.follow(log.durableEnd, log.segmentBases);

/** Reads every record from `from` to the reader's durable end. */
const readAll = async (reader: SegmentLogReader, from = reader.startPosition): Promise<string[]> => {
  const texts: string[] = [];
  let position = from;
  while (position < reader.durableEnd) {
    const { records, next } = await reader.read(position, limits);
    texts.push(...records.map((r) => r.data.toString()));
    position = next;
  }
  return texts;
};

describe('SegmentLogReader', () => {
  it('reads the records the writer made durable, as the writer reads them', async () => {
    await append('alpha', 'beta', 'gamma');
    const reader = await openReader();

    const { records } = await reader.read(0, limits);
    const fromWriter = await log.read(0, limits);
    await reader.close();

    expect(records).toEqual(fromWriter.records);
  });

  it('sees nothing past the durable end it was told, until the writer tells it more', async () => {
    await append('first');
    const reader = await openReader();
    await append('second');

    const before = await readAll(reader);
    follow(reader);
    const after = await readAll(reader);
    await reader.close();

    expect(before).toEqual(['first']);
    expect(after).toEqual(['first', 'second']);
  });

  it('follows the writer into segments it rolled after the reader opened', async () => {
    const reader = await openReader();
    const texts = Array.from(
      { length: 30 },
      (_, i) => `record number ${i} with some padding to roll segments`,
    );
    for (const text of texts) await append(text);
    follow(reader);

    const read = await readAll(reader);
    await reader.close();

    expect(log.segmentCount).toBeGreaterThan(3);
    expect(read).toEqual(texts);
  });

  it('wakes a waiting consumer when the writer reports new data', async () => {
    const reader = await openReader();
    const waiting = reader.waitForData(reader.durableEnd);
    await append('late');
    follow(reader);

    await waiting;
    expect(await readAll(reader)).toEqual(['late']);
    await reader.close();
  });

  it('leaves deleting consumed segments to the writer, telling it how far the consumer got', async () => {
    for (let i = 0; i < 20; i += 1) await append(`record ${i} padded out to fill segment files quickly`);
    const told: number[] = [];
    const reader = await openReader((position) => told.push(position));
    const segmentsBefore = log.segmentCount;
    const consumedTo = log.segmentBases[2]!;

    const forgotten = await reader.deleteBefore(consumedTo);

    expect(forgotten).toBe(2);
    expect(reader.startPosition).toBe(consumedTo);
    expect(told).toEqual([consumedTo]);
    expect(log.segmentCount).toBe(segmentsBefore);
    await reader.close();
  });

  it('drives a LogConsumer from another checkpoint exactly as the writer would', async () => {
    const reader = await openReader();
    const seen: string[] = [];
    const consumer = new LogConsumer({
      log: reader,
      checkpoint: new CheckpointFile(join(dir, 'checkpoint.json')),
      handler: async (records) => {
        seen.push(...records.map((r) => r.data.toString()));
        return undefined;
      },
      commitIntervalMs: 20,
      deleteConsumed: false,
    });
    await consumer.start();
    await append('one', 'two');
    follow(reader);
    await append('three');
    follow(reader);

    await consumer.drain();
    await consumer.stop();
    await reader.close();

    expect(seen).toEqual(['one', 'two', 'three']);
  });
});
