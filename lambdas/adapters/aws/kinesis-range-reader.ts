import { setTimeout as sleep } from 'node:timers/promises';
import { GetRecordsCommand, GetShardIteratorCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import type { FailedBatchPointer, StreamRange, StreamRangeReader } from '#core/replay/ports.ts';
import { type StreamedRecord, toStreamedRecord } from '#core/validator/streamed-record.ts';
import { AwsCallRejectedError } from './errors.ts';

export interface KinesisRangeReaderOptions {
  /**
   * Pause between two GetRecords calls on a shard. A shard serves 5 GetRecords calls per second, shared
   * with the validator's event source mapping, which polls it every second: a replay must not starve it.
   * @default 250
   */
  readonly pauseMs?: number;
  /** @default node:timers/promises setTimeout */
  readonly sleep?: (ms: number) => Promise<unknown>;
}

/** Calls in a row that return no record before the reader takes the shard as read to its end. */
const MAX_EMPTY_CALLS = 20;

const STREAM_NAME = /:stream\/([\w.-]+)$/;

/**
 * Reads a failed batch's sequence range back from Kinesis: an iterator at its first sequence number, then
 * GetRecords until a record past its last one. The range is reported incomplete (`missing`) when the
 * stream no longer holds its first records (they expired with the retention: the first record read is a
 * later one, or Kinesis refuses the sequence number), when the shard is gone, or when the shard ends
 * before the range does.
 */
export class KinesisRangeReader implements StreamRangeReader {
  readonly #pauseMs: number;
  readonly #sleep: (ms: number) => Promise<unknown>;

  constructor(
    private readonly client: KinesisClient,
    options: KinesisRangeReaderOptions = {},
  ) {
    this.#pauseMs = options.pauseMs ?? 250;
    this.#sleep = options.sleep ?? sleep;
  }

  async read(pointer: FailedBatchPointer): Promise<StreamRange> {
    const streamName = STREAM_NAME.exec(pointer.streamArn)?.[1];
    if (streamName === undefined) return { records: [], missing: `${pointer.streamArn} is not a stream ARN` };
    const start = BigInt(pointer.startSequenceNumber);
    const end = BigInt(pointer.endSequenceNumber);
    let iterator: string | undefined;
    try {
      ({ ShardIterator: iterator } = await this.client.send(
        new GetShardIteratorCommand({
          StreamName: streamName,
          ShardId: pointer.shardId,
          ShardIteratorType: 'AT_SEQUENCE_NUMBER',
          StartingSequenceNumber: pointer.startSequenceNumber,
        }),
      ));
    } catch (error) {
      const name = error instanceof Error ? error.name : '';
      if (name === 'ResourceNotFoundException' || name === 'InvalidArgumentException') {
        return {
          records: [],
          missing: `the stream no longer holds the range (${name}: ${(error as Error).message})`,
        };
      }
      throw new AwsCallRejectedError('GetShardIterator', streamName, error);
    }
    const records: StreamedRecord[] = [];
    let reachedEnd = false;
    let empty = 0;
    while (iterator !== undefined && !reachedEnd && empty < MAX_EMPTY_CALLS) {
      const output = await this.client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }));
      const batch = output.Records ?? [];
      for (const record of batch) {
        if (record.SequenceNumber === undefined || record.Data === undefined) continue;
        if (BigInt(record.SequenceNumber) > end) {
          reachedEnd = true;
          break;
        }
        const arrivedAt = (record.ApproximateArrivalTimestamp ?? new Date()).toISOString();
        records.push(toStreamedRecord(record.SequenceNumber, record.Data, arrivedAt));
        if (BigInt(record.SequenceNumber) === end) reachedEnd = true;
      }
      if (reachedEnd) break;
      empty = batch.length === 0 ? empty + 1 : 0;
      // caught up with the shard's tip: nothing more to read
      if (batch.length === 0 && (output.MillisBehindLatest ?? 0) === 0) break;
      iterator = output.NextShardIterator;
      await this.#sleep(this.#pauseMs);
    }
    const first = records[0];
    if (first === undefined) {
      return { records, missing: 'the stream holds no record of the range (expired with its retention?)' };
    }
    if (BigInt(first.sequenceNumber) !== start) {
      return {
        records,
        missing: `records from ${pointer.startSequenceNumber} up to ${first.sequenceNumber} expired with the stream's retention`,
      };
    }
    if (!reachedEnd) {
      return {
        records,
        missing: `the shard ends at ${records.at(-1)?.sequenceNumber} before the range does (${pointer.endSequenceNumber})`,
      };
    }
    return { records, missing: null };
  }
}
