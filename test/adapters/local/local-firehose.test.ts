import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { removeTemporaryFiles } from '#adapters/local/atomic-file.ts';
import { listObjects, objectPath } from '#adapters/local/bucket-layout.ts';
import { SinkFlushError } from '#adapters/local/errors.ts';
import { LocalFirehose, type LocalFirehoseOptions } from '#adapters/local/local-firehose.ts';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'tally-firehose-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const ARRIVAL = Date.parse('2025-03-09T17:42:05.123Z');
const firehose = (extra: Partial<LocalFirehoseOptions> = {}) =>
  new LocalFirehose({ root, prefix: 'events', deliveryStream: 'tally-events', now: () => ARRIVAL, ...extra });

const readLines = async (key: string): Promise<string[]> =>
  gunzipSync(await readFile(objectPath(root, key)))
    .toString('utf8')
    .split('\n')
    .filter((l) => l !== '');

const waitFor = async (condition: () => Promise<boolean>): Promise<void> => {
  for (let i = 0; i < 200 && !(await condition()); i += 1) await new Promise((r) => setTimeout(r, 10));
};

describe('LocalFirehose', () => {
  it('delivers buffered lines as one gzip NDJSON object under the arrival hour partition', async () => {
    const sink = firehose();
    await sink.write(['{"a":1}', '{"a":2}']);
    await sink.write(['{"a":3}']);

    await sink.flush();

    const keys = await listObjects(root, 'events');
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatch(
      /^events\/dt=2025-03-09\/hr=17\/tally-events-1-2025-03-09-17-42-05-[0-9a-f-]{36}\.json\.gz$/,
    );
    expect(await readLines(keys[0]!)).toEqual(['{"a":1}', '{"a":2}', '{"a":3}']);
    expect(sink.stats).toMatchObject({ linesDelivered: 3, filesDelivered: 1, linesBuffered: 0 });
  });

  it('delivers nothing when nothing is buffered', async () => {
    const sink = firehose();

    await sink.flush();

    expect(await listObjects(root, 'events')).toEqual([]);
  });

  it('delivers on its own once the buffer reaches its size limit', async () => {
    const files: string[] = [];
    const sink = firehose({ bufferBytes: 20, onFile: (f) => files.push(f.key) });

    await sink.write(['{"padding":"xxxxxxxxxxxxxxxx"}']);
    await waitFor(async () => files.length === 1);

    expect(await readLines(files[0]!)).toEqual(['{"padding":"xxxxxxxxxxxxxxxx"}']);
  });

  it('delivers on its own once the oldest line has waited the buffer interval', async () => {
    let now = ARRIVAL;
    const sink = firehose({ bufferIntervalMs: 200, now: () => now });
    sink.start();
    await sink.write(['{"late":true}']);
    now += 250;

    await waitFor(async () => (await listObjects(root, 'events')).length === 1);
    await sink.stop();

    expect(sink.stats.linesDelivered).toBe(1);
  });

  it('keeps the lines when the bucket folder cannot be written and delivers them on the next flush', async () => {
    const blocked = join(root, 'bucket');
    await writeFile(blocked, 'a file where the folder should be');
    const sink = new LocalFirehose({ root: blocked, prefix: 'rejected', deliveryStream: 'tally-rejected' });
    await sink.write(['{"n":1}', '{"n":2}']);

    await expect(sink.flush()).rejects.toThrow(SinkFlushError);
    expect(sink.stats.linesBuffered).toBe(2);

    await rm(blocked);
    await mkdir(blocked);
    await sink.write(['{"n":3}']);
    await sink.flush();

    const keys = await listObjects(blocked, 'rejected');
    expect(keys).toHaveLength(1);
    const lines = gunzipSync(await readFile(objectPath(blocked, keys[0]!))).toString();
    expect(lines).toBe('{"n":1}\n{"n":2}\n{"n":3}\n');
  });

  it('reports lines as failed instead of buffering beyond its pending limit', async () => {
    const sink = firehose({ bufferBytes: 1_000_000, maxPendingBytes: 10 });
    await sink.write(['{"fills":"the buffer"}']);

    const result = await sink.write(['{"x":1}', '{"x":2}']);

    expect(result.failed).toEqual([0, 1]);
  });

  it('never lists the temporary file of an interrupted delivery', async () => {
    const dir = join(root, 'events', 'dt=2025-03-09', 'hr=17');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, '.tmp-tally-events-1-x.json.gz.abcd'), 'partial');

    expect(await listObjects(root, 'events')).toEqual([]);
  });
});

describe('removeTemporaryFiles', () => {
  it('removes only the leftovers of interrupted atomic writes', async () => {
    const dir = join(root, 'events', 'dt=2025-03-09', 'hr=17');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, '.tmp-tally-events-1-x.json.gz.abcd'), 'partial');
    await writeFile(join(dir, 'tally-events-1-x.json.gz'), 'whole');

    const removed = await removeTemporaryFiles(root);

    expect(removed).toBe(1);
    expect(await readdir(dir)).toEqual(['tally-events-1-x.json.gz']);
  });
});
