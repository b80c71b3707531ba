import { appendFile, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LogCorruptionError } from '#adapters/local/errors.ts';
import { SegmentLog } from '#adapters/local/segment-log.ts';
import type { LogRecord } from '#adapters/local/segment-read.ts';

const entry = (text: string, partitionKey = 'ws-1') => ({ partitionKey, data: Buffer.from(text) });
const texts = (records: readonly LogRecord[]) => records.map((r) => r.data.toString());
const everything = { maxRecords: 10_000, maxBytes: 64 * 1024 * 1024 };

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tally-log-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const onlySegment = async (): Promise<string> => {
  const names = (await readdir(dir)).filter((n) => n.endsWith('.log'));
  expect(names).toHaveLength(1);
  return join(dir, names[0]!);
};

describe('SegmentLog', () => {
  it('reads appended records back in order with their partition keys and positions', async () => {
    const log = await SegmentLog.open(dir, { now: () => 1_700_000_000_000 });
    const first = await log.append([entry('a'), entry('b', 'ws-2')]);
    const second = await log.append([entry('c')]);

    const { records, next } = await log.read(log.startPosition, everything);

    expect(texts(records)).toEqual(['a', 'b', 'c']);
    expect(records.map((r) => r.partitionKey)).toEqual(['ws-1', 'ws-2', 'ws-1']);
    expect(records[0]!.position).toBe(first.first);
    expect(records[2]!.position).toBe(second.first);
    expect(records[0]!.next).toBe(records[1]!.position);
    expect(records[0]!.arrivedAt).toBe(1_700_000_000_000);
    expect(next).toBe(second.end);
    expect(log.durableEnd).toBe(second.end);
    await log.close();
  });

  it('keeps every acknowledged record across a reopen', async () => {
    const log = await SegmentLog.open(dir);
    await log.append([entry('one'), entry('two')]);
    await log.close();

    const reopened = await SegmentLog.open(dir);
    const { records } = await reopened.read(0, everything);

    expect(texts(records)).toEqual(['one', 'two']);
    await reopened.close();
  });

  it('orders concurrent appends and acknowledges each with its own range', async () => {
    const log = await SegmentLog.open(dir);
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => log.append([entry(`r${i}-a`), entry(`r${i}-b`)])),
    );

    const { records } = await log.read(0, everything);

    expect(records).toHaveLength(100);
    for (const [i, result] of results.entries()) {
      const inRange = records.filter((r) => r.position >= result.first && r.position < result.end);
      expect(texts(inRange)).toEqual([`r${i}-a`, `r${i}-b`]);
    }
    await log.close();
  });

  it('cuts a torn partial frame off the tail when it reopens', async () => {
    const log = await SegmentLog.open(dir);
    const acked = await log.append([entry('kept-1'), entry('kept-2')]);
    await log.close();
    const segment = await onlySegment();
    // a frame header promising 100 bytes of body, followed by only 3 of them
    await appendFile(segment, Buffer.from([100, 0, 0, 0, 1, 2, 3, 4, 9, 9, 9]));

    const reopened = await SegmentLog.open(dir);

    expect(reopened.durableEnd).toBe(acked.end);
    expect((await stat(segment)).size).toBe(acked.end);
    await reopened.append([entry('after-crash')]);
    expect(texts((await reopened.read(0, everything)).records)).toEqual(['kept-1', 'kept-2', 'after-crash']);
    await reopened.close();
  });

  it('cuts a whole but checksum-invalid last frame off the tail when it reopens', async () => {
    const log = await SegmentLog.open(dir);
    const kept = await log.append([entry('kept')]);
    await log.append([entry('damaged')]);
    await log.close();
    const segment = await onlySegment();
    const bytes = await readFile(segment);
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 0xff;
    await writeFile(segment, bytes);

    const reopened = await SegmentLog.open(dir);

    expect(reopened.durableEnd).toBe(kept.end);
    expect(texts((await reopened.read(0, everything)).records)).toEqual(['kept']);
    await reopened.close();
  });

  it('starts a new segment once the active one is full and reads across the boundary', async () => {
    const log = await SegmentLog.open(dir, { segmentBytes: 100 });
    for (let i = 0; i < 10; i += 1) await log.append([entry(`record-${i}|${'x'.repeat(30)}`)]);

    expect(log.segmentCount).toBeGreaterThan(3);
    let position = 0;
    const seen: string[] = [];
    while (position < log.durableEnd) {
      const { records, next } = await log.read(position, { maxRecords: 3, maxBytes: 1000 });
      seen.push(...texts(records).map((t) => t.split('|')[0]!));
      position = next;
    }
    expect(seen).toEqual(Array.from({ length: 10 }, (_, i) => `record-${i}`));
    await log.close();
  });

  it('deletes only segments that end at or before a consumed position', async () => {
    const log = await SegmentLog.open(dir, { segmentBytes: 100 });
    const appended = [];
    for (let i = 0; i < 6; i += 1) appended.push(await log.append([entry('y'.repeat(60))]));

    const deleted = await log.deleteBefore(appended[3]!.first);

    expect(deleted).toBe(3);
    expect(log.startPosition).toBe(appended[3]!.first);
    expect(texts((await log.read(log.startPosition, everything)).records)).toHaveLength(1);
    await log.close();
  });

  it('delivers a record larger than the byte limit alone', async () => {
    const log = await SegmentLog.open(dir);
    await log.append([entry('z'.repeat(5000)), entry('small')]);

    const { records } = await log.read(0, { maxRecords: 10, maxBytes: 100 });

    expect(records).toHaveLength(1);
    expect(records[0]!.data.length).toBe(5000);
    await log.close();
  });

  it('refuses to open when a sealed segment is shorter than the next one says', async () => {
    const log = await SegmentLog.open(dir, { segmentBytes: 50 });
    for (let i = 0; i < 3; i += 1) await log.append([entry('w'.repeat(40))]);
    await log.close();
    const first = join(dir, (await readdir(dir)).sort()[0]!);
    await writeFile(first, (await readFile(first)).subarray(0, 10));

    await expect(SegmentLog.open(dir)).rejects.toThrow(LogCorruptionError);
  });

  it('wakes a waiter when data arrives past its position', async () => {
    const log = await SegmentLog.open(dir);
    const waiting = log.waitForData(0);
    await log.append([entry('wake')]);

    await expect(waiting).resolves.toBeUndefined();
    await log.close();
  });
});
