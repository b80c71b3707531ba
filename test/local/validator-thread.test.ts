import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { SegmentLog } from '#adapters/local/segment-log.ts';
import { ValidatorThreadError } from '../../lambdas/local/errors.ts';
import { ValidatorThread, type ValidatorThreadOptions } from '../../lambdas/local/validator-thread.ts';
import { fixture, recordOf, SCHEMAS_DIR } from '../core/contract/support/events.ts';
import { until } from '../support/until.ts';

let dir: string;
let log: SegmentLog;
let problems: string[];
let filesSeen: number;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tally-validator-thread-'));
  log = await SegmentLog.open(join(dir, 'stream'));
  problems = [];
  filesSeen = 0;
});
afterEach(async () => {
  await log.close();
  await rm(dir, { recursive: true, force: true });
});

const options = (extra: Partial<ValidatorThreadOptions> = {}): ValidatorThreadOptions => ({
  log,
  checkpointFile: join(dir, 'stream', 'checkpoints', 'validator.json'),
  bucketDir: join(dir, 'bucket'),
  schemasDir: SCHEMAS_DIR,
  bufferBytes: 4 * 1024 * 1024,
  bufferIntervalMs: 100,
  onFile: () => {
    filesSeen += 1;
  },
  onProblem: (message) => problems.push(message),
  restartDelayMs: 50,
  ...extra,
});

/** Appends `count` valid feature_used events (distinct ids) and one that breaks its schema. */
const appendEvents = async (count: number, from = 0): Promise<string[]> => {
  const base = fixture<Record<string, unknown>>('native-feature-used');
  const ids = Array.from({ length: count }, (_, i) => `evt-thread-${from + i}`);
  const records = ids.map((id) => recordOf({ ...base, event_id: id }, 'native'));
  records.push(recordOf({ ...base, event_id: 'evt-bad', occurred_at: 'not a time' }, 'native'));
  await log.append(records.map((text) => ({ partitionKey: 'k', data: Buffer.from(text) })));
  return ids;
};

/** Every line of every gzip file under `bucket/<prefix>/`, parsed. */
const bucketLines = async (prefix: 'events' | 'rejected'): Promise<Record<string, unknown>[]> => {
  const root = join(dir, 'bucket', prefix);
  const files = (await readdir(root, { recursive: true })).filter((f) => f.endsWith('.gz'));
  const lines: Record<string, unknown>[] = [];
  for (const file of files) {
    const text = gunzipSync(await readFile(join(root, file))).toString('utf8');
    for (const line of text.split('\n')) if (line !== '') lines.push(JSON.parse(line));
  }
  return lines;
};

const eventIdOf = (line: Record<string, unknown>): unknown => line.event_id;

describe('ValidatorThread', () => {
  it('validates what the log holds into bucket files, counting validated and rejected records', async () => {
    const ids = await appendEvents(20);
    const thread = await ValidatorThread.start(options());

    await thread.drain();
    const stats = thread.stats;
    await thread.stop();

    expect((await bucketLines('events')).map(eventIdOf).sort()).toEqual([...ids].sort());
    expect(await bucketLines('rejected')).toHaveLength(1);
    expect(stats.counts.validated).toBe(20);
    expect(stats.counts.rejected).toBe(1);
    expect(stats.position).toBe(log.durableEnd);
    expect(filesSeen).toBeGreaterThanOrEqual(2);
  });

  it('validates records appended after it started', async () => {
    const thread = await ValidatorThread.start(options());
    const ids = await appendEvents(5);

    await thread.drain();
    await thread.stop();

    expect((await bucketLines('events')).map(eventIdOf).sort()).toEqual([...ids].sort());
  });

  it('resumes from its checkpoint after a stop instead of validating again', async () => {
    const first = await appendEvents(3, 0);
    const one = await ValidatorThread.start(options());
    await one.drain();
    await one.stop();
    const second = await appendEvents(3, 100);
    const two = await ValidatorThread.start(options());
    await two.drain();
    const stats = two.stats;
    await two.stop();

    expect(stats.counts.validated).toBe(3);
    expect((await bucketLines('events')).map(eventIdOf).sort()).toEqual([...first, ...second].sort());
  });

  it('restarts a thread that died from its checkpoint, losing nothing', async () => {
    const ids = await appendEvents(50);
    await mkdir(join(dir, 'stream', 'checkpoints'), { recursive: true });
    await writeFile(join(dir, 'stream', 'checkpoints', 'crash-once'), '');
    const thread = await ValidatorThread.start(
      options({ workerEntry: new URL('./support/failing-validator-worker.ts', import.meta.url) }),
    );
    // the crash must land before the drain below, or the drain could finish on the doomed thread
    await until(() => problems.some((p) => p.includes('exit code 3')), 30_000);
    const more = await appendEvents(10, 1000);

    await thread.drain();
    await thread.stop();

    expect(problems.some((p) => p.includes('exit code 3') && p.includes('restarting'))).toBe(true);
    // a record the dead thread had not committed is validated again; the warehouse dedups it
    expect(new Set((await bucketLines('events')).map(eventIdOf))).toEqual(new Set([...ids, ...more]));
  });

  it('refuses to start on a schemas folder that does not load, saying why', async () => {
    await mkdir(join(dir, 'no-schemas'));

    await expect(ValidatorThread.start(options({ schemasDir: join(dir, 'no-schemas') }))).rejects.toThrow(
      ValidatorThreadError,
    );
  });

  it('deletes the stream segments the thread has consumed', async () => {
    await log.close();
    log = await SegmentLog.open(join(dir, 'stream'), { segmentBytes: 2048 });
    await appendEvents(10);
    await appendEvents(10, 100);
    const before = log.segmentCount;
    const thread = await ValidatorThread.start(options());

    await thread.drain();
    await thread.stop();

    expect(before).toBeGreaterThan(1);
    expect(log.segmentCount).toBe(1);
    expect((await readdir(join(dir, 'stream'))).filter((f) => f.endsWith('.log'))).toHaveLength(1);
  });
});
