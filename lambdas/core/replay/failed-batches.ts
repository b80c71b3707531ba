import type { LineSink } from '#core/validator/ports.ts';
import { processKinesisBatch } from '#core/validator/process-batch.ts';
import type { RecordValidator } from '#core/validator/validate-record.ts';
import type { FailedBatchMessage, FailedBatchPointer, FailedBatchQueue, StreamRangeReader } from './ports.ts';

export interface FailedBatchReplayDeps {
  readonly queue: FailedBatchQueue;
  readonly stream: StreamRangeReader;
  /** The validator as deployed: the same core the validator Lambda runs. */
  readonly validate: RecordValidator;
  readonly events: LineSink;
  readonly rejected: LineSink;
  /** Most messages one run handles. @default 1000 */
  readonly maxBatches?: number;
  /** Asked between batches: true stops the run there (a Lambda's time budget). */
  readonly shouldStop?: () => boolean;
}

/** A batch left in the queue, and why. */
export interface BatchLeft {
  readonly shardId: string;
  readonly startSequenceNumber: string;
  readonly endSequenceNumber: string;
  readonly detail: string;
}

/** What a replay of the failure queue did. */
export interface FailedBatchReplayReport {
  /** Messages handled. */
  readonly batches: number;
  /** Batches whose every record's line is stored: their messages are deleted. */
  readonly replayed: number;
  /** Records read back from the stream. */
  readonly records: number;
  readonly validated: number;
  readonly rejected: number;
  /** Batches some of whose records the sinks refused or the validator threw on (the cause is still there). */
  readonly failed: readonly BatchLeft[];
  /** Batches part of whose range the stream no longer holds: those records are lost; the rest was replayed. */
  readonly recordsMissing: readonly BatchLeft[];
  /** Messages that are not a Kinesis failure pointer. */
  readonly unreadable: number;
  /** Messages this run left in the queue (failed, missing, unreadable): they show again for the next run. */
  readonly remaining: number;
  /** True when the run stopped (time budget, `maxBatches`) with messages possibly still waiting. */
  readonly more: boolean;
}

/**
 * Replays the validator's failure queue: for each message (a batch Lambda gave up on after its retries,
 * as shard and sequence range), reads the range back from the raw stream and runs its records through
 * the validator's batch core into the same sinks as the validator Lambda. A message is deleted once every
 * record's line is stored; otherwise it stays, and the report says why. Replaying a range twice writes
 * the same lines twice, which the dedup key absorbs, as after any Lambda retry.
 */
export const replayFailedBatches = async (deps: FailedBatchReplayDeps): Promise<FailedBatchReplayReport> => {
  const maxBatches = deps.maxBatches ?? 1000;
  const totals = {
    batches: 0,
    replayed: 0,
    records: 0,
    validated: 0,
    rejected: 0,
    unreadable: 0,
    remaining: 0,
  };
  const failed: BatchLeft[] = [];
  const recordsMissing: BatchLeft[] = [];
  let more = false;
  for (;;) {
    if (totals.batches >= maxBatches || deps.shouldStop?.()) {
      more = true;
      break;
    }
    const messages = await deps.queue.receive(Math.min(10, maxBatches - totals.batches));
    if (messages.length === 0) break;
    for (const message of messages) {
      totals.batches++;
      const outcome = await replayOne(deps, message);
      totals.records += outcome.records;
      totals.validated += outcome.validated;
      totals.rejected += outcome.rejected;
      if (outcome.kind === 'replayed') {
        await deps.queue.delete(message);
        totals.replayed++;
        continue;
      }
      totals.remaining++;
      if (outcome.kind === 'unreadable') totals.unreadable++;
      else if (outcome.kind === 'failed') failed.push(outcome.left);
      else recordsMissing.push(outcome.left);
    }
  }
  return { ...totals, failed, recordsMissing, more };
};

type Outcome = { readonly records: number; readonly validated: number; readonly rejected: number } & (
  | { readonly kind: 'replayed' }
  | { readonly kind: 'unreadable' }
  | { readonly kind: 'failed'; readonly left: BatchLeft }
  | { readonly kind: 'missing'; readonly left: BatchLeft }
);

const replayOne = async (deps: FailedBatchReplayDeps, message: FailedBatchMessage): Promise<Outcome> => {
  const pointer = parseFailedBatch(message.body);
  if (pointer === null) return { kind: 'unreadable', records: 0, validated: 0, rejected: 0 };
  const range = await deps.stream.read(pointer);
  const result = await processKinesisBatch(range.records, {
    validate: deps.validate,
    events: deps.events,
    rejected: deps.rejected,
  });
  const counts = {
    records: range.records.length,
    validated: result.counts.validated,
    rejected: Object.values(result.counts.rejected).reduce((sum, n) => sum + (n ?? 0), 0),
  };
  const where = {
    shardId: pointer.shardId,
    startSequenceNumber: pointer.startSequenceNumber,
    endSequenceNumber: pointer.endSequenceNumber,
  };
  if (result.batchItemFailures.length > 0) {
    const first = result.errors[0];
    const cause = first === undefined ? 'a sink refused lines' : `${first.stage}: ${String(first.error)}`;
    return {
      kind: 'failed',
      ...counts,
      left: { ...where, detail: `${result.batchItemFailures.length} record(s) not stored (${cause})` },
    };
  }
  if (range.missing !== null)
    return { kind: 'missing', ...counts, left: { ...where, detail: range.missing } };
  return { kind: 'replayed', ...counts };
};

/**
 * The pointer in a failure-queue message: Lambda's on-failure record for a Kinesis source, whose
 * `KinesisBatchInfo` names the stream, the shard and the first and last sequence number of the batch.
 * Null for anything else.
 */
export const parseFailedBatch = (body: string): FailedBatchPointer | null => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return null;
  }
  const info = (parsed as { KinesisBatchInfo?: Record<string, unknown> } | null)?.KinesisBatchInfo;
  if (typeof info !== 'object' || info === null) return null;
  const text = (key: string) =>
    typeof info[key] === 'string' && info[key] !== '' ? (info[key] as string) : null;
  const streamArn = text('streamArn');
  const shardId = text('shardId');
  const start = text('startSequenceNumber');
  const end = text('endSequenceNumber');
  if (streamArn === null || shardId === null || start === null || end === null) return null;
  if (!/^\d+$/.test(start) || !/^\d+$/.test(end)) return null;
  return {
    streamArn,
    shardId,
    startSequenceNumber: start,
    endSequenceNumber: end,
    batchSize: typeof info.batchSize === 'number' ? info.batchSize : null,
  };
};
