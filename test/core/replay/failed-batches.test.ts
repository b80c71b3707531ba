import { PutRecordCommand } from '@aws-sdk/client-kinesis';
import { KinesisRangeReader } from '#adapters/aws/kinesis-range-reader.ts';
import { loadValidator } from '#adapters/node/load-validator.ts';
import { encodeCollectedRecord } from '#core/contract/collected-record.ts';
import { parseReplayConfig, REPLAY_ENV } from '#core/replay/config.ts';
import { ReplayConfigError, ReplayRequestError } from '#core/replay/errors.ts';
import { parseFailedBatch, replayFailedBatches } from '#core/replay/failed-batches.ts';
import type { FailedBatchMessage, FailedBatchQueue } from '#core/replay/ports.ts';
import { type ReplayJobDeps, runReplayJob } from '#core/replay/replay-job.ts';
import type { LineSink } from '#core/validator/ports.ts';
import type { RecordValidator } from '#core/validator/validate-record.ts';
import { createStream, type RunningKinesalite, startKinesalite } from '../../support/kinesalite.ts';

const STREAM = 'tally-raw';
const ARN = `arn:aws:kinesis:us-east-1:000000000000:stream/${STREAM}`;

/** A collected feature_used record the current schemas accept. */
const good = (eventId: string): string =>
  encodeCollectedRecord(
    {
      v: 1,
      source_id: 'web',
      received_at: '2026-03-10T09:00:00.000Z',
      request_id: `req-${eventId}`,
      intake: 'native',
    },
    JSON.stringify({
      event_name: 'feature_used',
      event_id: eventId,
      user_id: 'u1',
      workspace_id: 'w1',
      feature_id: 'editor.comments.mention',
    }),
  );

/** Lambda's on-failure record for a Kinesis batch, as the validator's failure queue holds it. */
const pointerBody = (shardId: string, start: string, end: string): string =>
  JSON.stringify({
    requestContext: { condition: 'RetryAttemptsExhausted', approximateInvokeCount: 3 },
    KinesisBatchInfo: {
      shardId,
      startSequenceNumber: start,
      endSequenceNumber: end,
      batchSize: 3,
      streamArn: ARN,
    },
  });

/**
 * The failure queue with SQS's visibility semantics that the replay relies on: a received message is
 * hidden for the rest of the run; one not deleted shows again for the next run (`nextRun`).
 */
class MemoryQueue implements FailedBatchQueue {
  #messages: FailedBatchMessage[] = [];
  #hidden = new Set<string>();
  #n = 0;
  push(body: string): void {
    this.#messages.push({ receipt: `m-${++this.#n}`, body });
  }
  get bodies(): string[] {
    return this.#messages.map((m) => m.body);
  }
  nextRun(): void {
    this.#hidden.clear();
  }
  async receive(max: number): Promise<FailedBatchMessage[]> {
    const visible = this.#messages.filter((m) => !this.#hidden.has(m.receipt)).slice(0, max);
    for (const m of visible) this.#hidden.add(m.receipt);
    return visible;
  }
  async delete(message: FailedBatchMessage): Promise<void> {
    this.#messages = this.#messages.filter((m) => m.receipt !== message.receipt);
  }
}

const collecting = (): LineSink & { lines: string[] } => {
  const lines: string[] = [];
  return {
    lines,
    write: async (batch) => {
      lines.push(...batch);
      return { failed: [] };
    },
  };
};

describe('replay of the validator failure queue, reading ranges back from kinesalite', () => {
  let kinesis: RunningKinesalite;
  let validate: RecordValidator;
  /** Sequence numbers of the stream's five records, in order; the failed batch is the middle three. */
  const seq: string[] = [];
  let shardId: string;

  beforeAll(async () => {
    kinesis = await startKinesalite();
    await createStream(kinesis.client, STREAM, 1);
    const bodies = [
      good('before'),
      good('ev-1'),
      '{"not":"a collected record"}',
      good('ev-2'),
      good('after'),
    ];
    for (const body of bodies) {
      const out = await kinesis.client.send(
        new PutRecordCommand({ StreamName: STREAM, PartitionKey: 'w1', Data: Buffer.from(body) }),
      );
      seq.push(out.SequenceNumber!);
      shardId = out.ShardId!;
    }
    validate = await loadValidator({ schemasDir: 'schemas', build: 'test' });
  });
  afterAll(() => kinesis.stop());

  const reader = () => new KinesisRangeReader(kinesis.client, { pauseMs: 0 });

  it('reads back exactly the failed range: not the records before or after it', async () => {
    const range = await reader().read(parseFailedBatch(pointerBody(shardId, seq[1]!, seq[3]!))!);

    expect(range.missing).toBeNull();
    expect(range.records.map((r) => r.sequenceNumber)).toEqual([seq[1], seq[2], seq[3]]);
  });

  it('says the range is incomplete when the stream no longer holds its first records', async () => {
    // A sequence number before the shard's first record: what a pointer older than the retention looks like.
    const expired = (BigInt(seq[0]!) - 1n).toString();

    const range = await reader().read(parseFailedBatch(pointerBody(shardId, expired, seq[1]!))!);

    expect(range.missing).toMatch(/expired|no longer holds/);
  });

  it('replays a failed batch through the validator core into both sinks and deletes its message; unreadable messages stay', async () => {
    const queue = new MemoryQueue();
    queue.push(pointerBody(shardId, seq[1]!, seq[3]!));
    queue.push('{"Records":"an S3 event, not a failure pointer"}');
    const events = collecting();
    const rejected = collecting();

    const report = await replayFailedBatches({ queue, stream: reader(), validate, events, rejected });

    expect(report).toMatchObject({
      batches: 2,
      replayed: 1,
      records: 3,
      validated: 2,
      rejected: 1,
      unreadable: 1,
      remaining: 1,
      more: false,
    });
    expect(events.lines.map((l) => JSON.parse(l).event_id)).toEqual(['ev-1', 'ev-2']);
    expect(rejected.lines).toHaveLength(1);
    expect(queue.bodies).toEqual(['{"Records":"an S3 event, not a failure pointer"}']);
  });

  it('leaves a batch whose lines a sink refused in the queue, and a later run finishes it with the same lines', async () => {
    const queue = new MemoryQueue();
    queue.push(pointerBody(shardId, seq[1]!, seq[3]!));
    const refusing: LineSink = { write: async (lines) => ({ failed: lines.map((_, i) => i) }) };
    const rejected = collecting();

    const first = await replayFailedBatches({
      queue,
      stream: reader(),
      validate,
      events: refusing,
      rejected,
    });

    expect(first).toMatchObject({ replayed: 0, remaining: 1 });
    expect(first.failed).toEqual([
      expect.objectContaining({
        shardId,
        startSequenceNumber: seq[1],
        detail: expect.stringMatching(/^2 record/),
      }),
    ]);
    expect(queue.bodies).toHaveLength(1);

    queue.nextRun();
    const events = collecting();
    const second = await replayFailedBatches({ queue, stream: reader(), validate, events, rejected });

    expect(second).toMatchObject({ replayed: 1, remaining: 0 });
    expect(queue.bodies).toEqual([]);
    expect(events.lines.map((l) => JSON.parse(l).event_id)).toEqual(['ev-1', 'ev-2']);
  });

  it('stops between batches when told to, saying there is more', async () => {
    const queue = new MemoryQueue();
    queue.push(pointerBody(shardId, seq[1]!, seq[1]!));
    queue.push(pointerBody(shardId, seq[3]!, seq[3]!));
    let asked = 0;

    const report = await replayFailedBatches({
      queue,
      stream: reader(),
      validate,
      events: collecting(),
      rejected: collecting(),
      maxBatches: 1,
      shouldStop: () => asked++ > 5,
    });

    expect(report).toMatchObject({ batches: 1, replayed: 1, more: true });
    expect(queue.bodies).toHaveLength(1);
  });
});

describe('the replay Lambda request and configuration', () => {
  const deps = {} as ReplayJobDeps;

  it('refuses an unknown action, naming both it knows', async () => {
    await expect(runReplayJob(deps, { action: 'everything' }, () => false)).rejects.toThrow(
      new ReplayRequestError([
        'action must be "rejected" (rejected events after a fix) or "failed-batches" (the validator\'s failure queue), got "everything"',
      ]),
    );
  });

  it('refuses a max_batches that is not a positive integer', async () => {
    await expect(
      runReplayJob(deps, { action: 'failed-batches', max_batches: 0 }, () => false),
    ).rejects.toThrow(/max_batches must be a positive integer, got 0/);
  });

  it('reads the configuration once and lists every missing variable', () => {
    let error: unknown;
    try {
      parseReplayConfig({ [REPLAY_ENV.bucket]: 'b', [REPLAY_ENV.failureQueueUrl]: 'sqs://nope' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ReplayConfigError);
    const problems = (error as ReplayConfigError).problems;
    expect(problems).toContain(`${REPLAY_ENV.eventsDeliveryStream} is required`);
    expect(problems).toContain(`${REPLAY_ENV.schemasDir} is required`);
    expect(
      problems.some((p) => p.startsWith(`${REPLAY_ENV.failureQueueUrl} must be an https queue URL`)),
    ).toBe(true);
  });
});
