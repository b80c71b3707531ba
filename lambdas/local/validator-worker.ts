/**
 * The validator thread's composition root (local mode): follows the stream log the main thread
 * writes, validates each record with the same core as the validator Lambda, and delivers the
 * lines through the local Firehose into the bucket folder, committing its checkpoint only once
 * they are durable. Running here, validation never waits behind the collector's requests on
 * the main thread's event loop.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { CheckpointFile } from '#adapters/local/checkpoint-file.ts';
import { LocalFirehose } from '#adapters/local/local-firehose.ts';
import { LogConsumer } from '#adapters/local/log-consumer.ts';
import { SegmentLogReader } from '#adapters/local/segment-log-reader.ts';
import { loadValidator } from '#adapters/node/load-validator.ts';
import { ValidatorConsumer } from './validator-consumer.ts';
import type {
  FromValidatorThread,
  ToValidatorThread,
  ValidatorThreadConfig,
  ValidatorThreadStats,
} from './validator-thread-protocol.ts';

const STATS_EVERY_MS = 200;

const port = parentPort;
if (port === null) throw new Error('validator-worker.ts runs as a worker thread (see validator-thread.ts)');
const post = (message: FromValidatorThread): void => port.postMessage(message);
const describe = (error: unknown): string => (error instanceof Error ? error.message : String(error));
const config = (workerData as { config: ValidatorThreadConfig }).config;

// follow messages may arrive while the thread starts: keep the latest for the reader
let latestFollow: { end: number; segmentBases: readonly number[] } | null = null;
let onMessage: (message: ToValidatorThread) => void = (message) => {
  if (message.type === 'follow') latestFollow = message;
};
port.on('message', (message: ToValidatorThread) => onMessage(message));

try {
  const validate = await loadValidator({ schemasDir: config.schemasDir, build: 'local' });
  const reader = await SegmentLogReader.open(config.streamDir, {
    durableEnd: config.durableEnd,
    onConsumed: (position) => post({ type: 'consumed', position }),
  });
  reader.follow(config.durableEnd, config.segmentBases);
  const firehose = (prefix: 'events' | 'rejected') =>
    new LocalFirehose({
      root: config.bucketDir,
      prefix,
      deliveryStream: `tally-${prefix}`,
      bufferBytes: config.bufferBytes,
      bufferIntervalMs: config.bufferIntervalMs,
      onFile: () => post({ type: 'file' }),
    });
  const events = firehose('events');
  const rejected = firehose('rejected');
  const validator = new ValidatorConsumer({ validate, events, rejected }, (errors) =>
    post({ type: 'problem', message: `validator: ${errors.map(describe).join('; ')}` }),
  );
  // The main thread shows what the last message said, so every change must reach it, the last one
  // included: a check every STATS_EVERY_MS posts the stats whenever they differ from the last posted.
  // (Posting from the batch handler alone, throttled, left the counts of a burst's last batches, the
  // position and the buffered lines unsent until the next traffic: "validated" stayed below "received"
  // and the backlog stale once traffic stopped.)
  let lastSent = '';
  const sendStats = (onlyIfChanged = false): void => {
    const consumed = consumer.stats;
    const stats: ValidatorThreadStats = {
      counts: validator.counts,
      position: consumed.position,
      committedPosition: consumed.committedPosition,
      lastError: consumed.lastError,
      linesBuffered: events.stats.linesBuffered + rejected.stats.linesBuffered,
    };
    const text = JSON.stringify(stats);
    if (onlyIfChanged && text === lastSent) return;
    lastSent = text;
    post({ type: 'stats', stats });
  };
  const consumer = new LogConsumer({
    log: reader,
    checkpoint: new CheckpointFile(config.checkpointFile),
    handler: validator.handle,
    // the checkpoint may only pass records whose lines are durable in the bucket folder
    beforeCommit: async () => {
      await Promise.all([events.flush(), rejected.flush()]);
    },
    // fewer, larger batches: each one is a turn of this thread's event loop
    batchSize: 5000,
    maxBatchBytes: 16 * 1024 * 1024,
    commitIntervalMs: config.bufferIntervalMs,
    onError: (error) => post({ type: 'problem', message: `stream consumer: ${describe(error)}` }),
  });
  events.start();
  rejected.start();
  await consumer.start();
  const statsTimer = setInterval(() => sendStats(true), STATS_EVERY_MS);

  const answer = async (id: number, work: () => Promise<void>): Promise<void> => {
    try {
      await work();
      sendStats();
      post({ type: 'done', id });
    } catch (error) {
      sendStats();
      post({ type: 'done', id, error: describe(error) });
    }
  };
  const drain = async (): Promise<void> => {
    await consumer.drain();
    await Promise.all([events.flush(), rejected.flush()]);
  };
  const stop = async (): Promise<void> => {
    clearInterval(statsTimer);
    await consumer.stop();
    await Promise.all([events.stop(), rejected.stop()]);
    await reader.close();
  };
  onMessage = (message) => {
    if (message.type === 'follow') reader.follow(message.end, message.segmentBases);
    else if (message.type === 'drain') void answer(message.id, drain);
    else void answer(message.id, stop);
  };
  if (latestFollow !== null) onMessage(latestFollow);
  sendStats();
  post({ type: 'ready' });
} catch (error) {
  post({
    type: 'failed',
    name: error instanceof Error ? error.name : 'Error',
    message: describe(error),
  });
  port.close();
}
