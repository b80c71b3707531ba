import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CheckpointFile } from '#adapters/local/checkpoint-file.ts';
import { type BatchHandler, LogConsumer, type LogConsumerOptions } from '#adapters/local/log-consumer.ts';
import { SegmentLog } from '#adapters/local/segment-log.ts';
import type { LogRecord } from '#adapters/local/segment-read.ts';
import { until } from '../../support/until.ts';

let dir: string;
let log: SegmentLog;
let checkpoint: CheckpointFile;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tally-consumer-'));
  log = await SegmentLog.open(join(dir, 'stream'));
  checkpoint = new CheckpointFile(join(dir, 'checkpoint.json'));
});
afterEach(async () => {
  await log.close();
  await rm(dir, { recursive: true, force: true });
});

const append = (...texts: string[]) =>
  log.append(texts.map((t) => ({ partitionKey: 'k', data: Buffer.from(t) })));
const text = (r: LogRecord) => r.data.toString();

/** A handler that records what it saw. */
const collecting = () => {
  const seen: string[] = [];
  const handler: BatchHandler = async (records) => {
    seen.push(...records.map(text));
    return undefined;
  };
  return { seen, handler };
};

const consumer = (handler: BatchHandler, extra: Partial<LogConsumerOptions> = {}) =>
  new LogConsumer({ log, checkpoint, handler, commitIntervalMs: 20, retryDelayMs: 5, ...extra });

describe('LogConsumer', () => {
  it('delivers every record in log order, including records appended while it runs', async () => {
    const { seen, handler } = collecting();
    await append('a', 'b');
    const c = consumer(handler, { batchSize: 1 });
    await c.start();
    await append('c');
    await append('d', 'e');

    await c.drain();
    await c.stop();

    expect(seen).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('resumes after the committed checkpoint instead of redelivering', async () => {
    await append('first', 'second');
    const before = collecting();
    const c1 = consumer(before.handler);
    await c1.start();
    await c1.drain();
    await c1.stop();
    await append('third');

    const after = collecting();
    const c2 = consumer(after.handler);
    await c2.start();
    await c2.drain();
    await c2.stop();

    expect(before.seen).toEqual(['first', 'second']);
    expect(after.seen).toEqual(['third']);
    expect((await checkpoint.read())?.position).toBe(log.durableEnd);
  });

  it('redelivers records processed but never committed when the consumer dies without stopping', async () => {
    await append('x', 'y');
    const first = collecting();
    const crashed = consumer(first.handler, { commitIntervalMs: 60_000 });
    await crashed.start();
    while (first.seen.length < 2) await new Promise((r) => setTimeout(r, 5));
    // no stop(): as if the process had been killed before the checkpoint moved

    const second = collecting();
    const restarted = consumer(second.handler);
    await restarted.start();
    await restarted.drain();
    await restarted.stop();

    expect(second.seen).toEqual(['x', 'y']);
  });

  it('retries the failed tail of a batch, in order, and never skips it', async () => {
    await append('ok-1', 'bad', 'ok-2');
    const seen: string[] = [];
    let failures = 1;
    const c = consumer(async (records) => {
      seen.push(...records.map(text));
      const bad = records.findIndex((r) => text(r) === 'bad');
      if (bad >= 0 && failures > 0) {
        failures -= 1;
        return { retryFrom: bad };
      }
      return undefined;
    });

    await c.start();
    await c.drain();
    await c.stop();

    expect(seen).toEqual(['ok-1', 'bad', 'ok-2', 'bad', 'ok-2']);
    expect(c.stats.failedAttempts).toBe(1);
    expect(c.stats.processed).toBe(3);
  });

  it('retries a whole batch whose handler throws, and forgets the error once it goes through', async () => {
    await append('only');
    let calls = 0;
    const c = consumer(async () => {
      calls += 1;
      if (calls < 3) throw new Error('sink unavailable');
      return undefined;
    });

    await c.start();
    await c.drain();
    await c.stop();

    expect(calls).toBe(3);
    expect(c.stats.failedAttempts).toBe(2);
    expect(c.stats.lastError).toBeNull();
  });

  it('keeps the checkpoint where it was while the output cannot be made durable', async () => {
    await append('a');
    let flushOk = false;
    const errors: unknown[] = [];
    const c = consumer(collecting().handler, {
      beforeCommit: async () => {
        if (!flushOk) throw new Error('disk full');
      },
      onError: (e) => errors.push(e),
    });
    await c.start();
    while (errors.length === 0) await new Promise((r) => setTimeout(r, 5));

    expect(await checkpoint.read()).toBeNull();

    flushOk = true;
    await c.stop();
    expect((await checkpoint.read())?.position).toBe(log.durableEnd);
  });

  it('commits one checkpoint at a time, so an older position never lands after a newer one', async () => {
    const written: number[] = [];
    const recording = new (class extends CheckpointFile {
      override async write(position: number): Promise<void> {
        await super.write(position);
        written.push(position);
      }
    })(checkpoint.path);
    let releaseFirstFlush: () => void = () => {};
    const firstFlush = new Promise<void>((resolve) => {
      releaseFirstFlush = resolve;
    });
    let flushes = 0;
    const c = new LogConsumer({
      log,
      checkpoint: recording,
      handler: collecting().handler,
      commitIntervalMs: 60_000,
      beforeCommit: async () => {
        flushes += 1;
        if (flushes === 1) await firstFlush;
      },
    });
    await c.start();
    await append('a');
    await until(() => c.stats.processed === 1);
    const firstDrain = c.drain(); // commits the position after 'a', held in its flush
    await until(() => flushes === 1);
    await append('b');
    await until(() => c.stats.processed === 2);

    const secondDrain = c.drain(); // wants the position after 'b' committed meanwhile
    await until(() => flushes === 2 || written.length > 0, 500);
    releaseFirstFlush();
    await Promise.all([firstDrain, secondDrain]);
    await c.stop();

    expect(written).toEqual([...written].sort((x, y) => x - y));
    expect((await checkpoint.read())?.position).toBe(log.durableEnd);
  });
});
