import {
  type KinesisClient,
  type KinesisClientConfig,
  PutRecordsCommand,
  type PutRecordsRequestEntry,
} from '@aws-sdk/client-kinesis';
import type { EventStream, PutRecordsResult, StreamRecord } from '#core/collector/ports.ts';
import type { StreamRetrySettings } from '#core/collector/settings.ts';
import { AwsCallRejectedError, StreamRecordTooLargeError } from './errors.ts';
import { isRetryableAwsError } from './retryable-error.ts';
import { UNDER_OUR_RETRIES } from './sdk-retries.ts';

/**
 * Kinesis Data Streams limits for a stream with the default maximum record size. Streams can opt
 * into 10 MiB records, but the collector caps events far below 1 MiB, so the defaults stay.
 */
export const KINESIS_LIMITS = {
  recordsPerCall: 500,
  /** Data plus partition key of one record. */
  recordBytes: 1024 * 1024,
  /** Data plus partition keys of all records in one PutRecords call. */
  callBytes: 5 * 1024 * 1024,
} as const;

/**
 * The collector's Kinesis client settings: one attempt per call, because the collector's stream writer
 * retries what the stream refused within its own budget (`streamRetry`: attempts, backoff, total time).
 * The SDK's default (3 attempts with its own backoff per call) would multiply the writer's attempts and
 * stretch a request past the budget the collector promises before it answers 503. No call outlives the
 * whole budget. (The client's default handler is HTTP/2 without concurrent streams; kept.)
 */
export const collectorKinesisClientConfig = (retry: StreamRetrySettings): KinesisClientConfig => ({
  ...UNDER_OUR_RETRIES,
  requestHandler: { requestTimeout: retry.maxTotalMs, disableConcurrentStreams: true },
});

/**
 * The collector's {@link EventStream} on a Kinesis data stream. Splits the records into PutRecords
 * calls within the service limits and reports which records the stream did not take (per-record
 * `ErrorCode`, or every record of a call that failed in a retryable way); retrying them is the
 * caller's job. Errors retrying cannot fix (missing stream, access denied) are thrown.
 */
export class KinesisEventStream implements EventStream {
  constructor(
    private readonly client: KinesisClient,
    private readonly streamName: string,
  ) {}

  async putRecords(records: readonly StreamRecord[]): Promise<PutRecordsResult> {
    const calls = planCalls(records, this.streamName);
    const settled = await Promise.allSettled(calls.map((indexes) => this.send(records, indexes)));
    const failed: number[] = [];
    let rejection: unknown;
    settled.forEach((outcome, call) => {
      if (outcome.status === 'fulfilled') failed.push(...outcome.value);
      else if (isRetryableAwsError(outcome.reason)) failed.push(...(calls[call] ?? []));
      else rejection ??= outcome.reason;
    });
    if (rejection !== undefined) throw new AwsCallRejectedError('PutRecords', this.streamName, rejection);
    return { failed: failed.sort((a, b) => a - b) };
  }

  /** Sends one call; resolves with the indexes (into `records`) the stream refused. */
  private async send(records: readonly StreamRecord[], indexes: readonly number[]): Promise<number[]> {
    const entries: PutRecordsRequestEntry[] = indexes.map((index) => {
      const record = records[index]!;
      return { PartitionKey: record.partitionKey, Data: record.data };
    });
    const output = await this.client.send(
      new PutRecordsCommand({ StreamName: this.streamName, Records: entries }),
    );
    // A record counts as stored only when the stream gave it a sequence number.
    return indexes.filter((_, position) => {
      const entry = output.Records?.[position];
      return entry?.ErrorCode !== undefined || entry?.SequenceNumber === undefined;
    });
  }
}

/** Groups record indexes into calls, in order, each within the per-call count and byte limits. */
const planCalls = (records: readonly StreamRecord[], streamName: string): number[][] => {
  const calls: number[][] = [];
  let current: number[] = [];
  let currentBytes = 0;
  records.forEach((record, index) => {
    const bytes = record.data.byteLength + Buffer.byteLength(record.partitionKey);
    if (bytes > KINESIS_LIMITS.recordBytes) {
      throw new StreamRecordTooLargeError(streamName, index, bytes, KINESIS_LIMITS.recordBytes);
    }
    if (current.length === KINESIS_LIMITS.recordsPerCall || currentBytes + bytes > KINESIS_LIMITS.callBytes) {
      calls.push(current);
      current = [];
      currentBytes = 0;
    }
    current.push(index);
    currentBytes += bytes;
  });
  if (current.length > 0) calls.push(current);
  return calls;
};
