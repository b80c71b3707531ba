import { type FirehoseClient, PutRecordBatchCommand } from '@aws-sdk/client-firehose';
import { type RetryPolicy, retry } from '#core/retry/retry.ts';
import { type Sleep, sleep } from '#core/retry/sleep.ts';
import type { LineSink, SinkWriteResult } from '#core/validator/ports.ts';
import { AwsAdapterError, AwsCallRejectedError } from './errors.ts';
import { isRetryableAwsError } from './retryable-error.ts';

/** Amazon Data Firehose PutRecordBatch limits. */
export const FIREHOSE_LIMITS = {
  /** One record's data, before base64. */
  recordBytes: 1_000 * 1024,
  recordsPerCall: 500,
  /** All records' data in one call. */
  callBytes: 4 * 1024 * 1024,
} as const;

/** Retries of refused records and throttled calls: bounded, with full jitter, within one Lambda invocation. */
export const DEFAULT_FIREHOSE_RETRY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 2_000 };

export interface FirehoseLineSinkOptions {
  /**
   * Largest record the sink builds, at most (and by default) the Firehose limit of 1,000 KiB.
   * Smaller records bound how many lines one refused record takes down with it, but cost more.
   */
  readonly maxRecordBytes?: number;
  /** @default DEFAULT_FIREHOSE_RETRY */
  readonly backoff?: RetryPolicy;
  /** Injectable for tests; defaults to a timer. */
  readonly sleep?: Sleep;
  /** Source of jitter in [0, 1); defaults to Math.random. */
  readonly random?: () => number;
}

/** A Firehose record: whole NDJSON lines `[first, first + count)` of the write, each ending in '\n'. */
interface PackedRecord {
  readonly data: Buffer;
  readonly first: number;
  readonly count: number;
}

/**
 * The validator's {@link LineSink} on a Firehose delivery stream.
 *
 * Firehose bills every record rounded up to the next 5 KB, so one ~1.5 KB event per record
 * would pay for more than three times its size; the sink packs as many whole lines as fit
 * into each record (up to 1,000 KiB). Firehose concatenates records as they are, so the S3
 * objects stay valid NDJSON because every line ends with '\n'.
 *
 * Records that Firehose refuses (`FailedPutCount > 0`) and calls that fail with throttling or
 * service errors are retried with exponential backoff and jitter, a bounded number of times;
 * the lines still not stored after that are reported by index. A line longer than a record
 * can hold is reported at once. Errors retrying cannot fix (missing stream, access denied)
 * are thrown as {@link AwsCallRejectedError}.
 */
export class FirehoseLineSink implements LineSink {
  private readonly maxRecordBytes: number;
  private readonly backoff: RetryPolicy;
  private readonly sleep: Sleep;
  private readonly random: () => number;

  constructor(
    private readonly client: FirehoseClient,
    private readonly deliveryStreamName: string,
    options: FirehoseLineSinkOptions = {},
  ) {
    this.maxRecordBytes = options.maxRecordBytes ?? FIREHOSE_LIMITS.recordBytes;
    if (!(this.maxRecordBytes >= 2 && this.maxRecordBytes <= FIREHOSE_LIMITS.recordBytes)) {
      throw new AwsAdapterError(
        `maxRecordBytes for delivery stream ${deliveryStreamName} must be 2..${FIREHOSE_LIMITS.recordBytes}, got ${this.maxRecordBytes}`,
      );
    }
    this.backoff = options.backoff ?? DEFAULT_FIREHOSE_RETRY;
    this.sleep = options.sleep ?? sleep;
    this.random = options.random ?? Math.random;
  }

  async write(lines: readonly string[]): Promise<SinkWriteResult> {
    const { records, oversized } = packLines(lines, this.maxRecordBytes);
    const unsent = await this.deliver(records);
    const failed = [...oversized];
    for (const record of unsent) {
      for (let line = record.first; line < record.first + record.count; line++) failed.push(line);
    }
    return { failed: failed.sort((a, b) => a - b) };
  }

  /** Puts the records, retrying refused ones; resolves with those still not stored. */
  private deliver(records: readonly PackedRecord[]): Promise<readonly PackedRecord[]> {
    let pending = records;
    return retry(
      async () => {
        const refused: PackedRecord[] = [];
        for (const call of planCalls(pending)) refused.push(...(await this.put(call)));
        pending = refused;
        return refused;
      },
      {
        policy: this.backoff,
        // put() turns what retrying can fix into refused records and throws only what it cannot
        isRetryable: () => false,
        retryWhen: (refused) => refused.length > 0,
        sleep: this.sleep,
        random: this.random,
      },
    );
  }

  /** One PutRecordBatch call; resolves with the records it did not store. */
  private async put(records: readonly PackedRecord[]): Promise<readonly PackedRecord[]> {
    try {
      const output = await this.client.send(
        new PutRecordBatchCommand({
          DeliveryStreamName: this.deliveryStreamName,
          Records: records.map((record) => ({ Data: record.data })),
        }),
      );
      if (!output.FailedPutCount) return [];
      // Stored records carry a RecordId; anything else (an ErrorCode, a missing entry) is retried.
      return records.filter((_, position) => {
        const entry = output.RequestResponses?.[position];
        return entry?.ErrorCode !== undefined || entry?.RecordId === undefined;
      });
    } catch (error) {
      if (isRetryableAwsError(error)) return records;
      throw new AwsCallRejectedError('PutRecordBatch', this.deliveryStreamName, error);
    }
  }
}

/** Packs lines, in order, into as few records as the record size allows. */
const packLines = (
  lines: readonly string[],
  maxRecordBytes: number,
): { records: PackedRecord[]; oversized: number[] } => {
  const records: PackedRecord[] = [];
  const oversized: number[] = [];
  let first = 0;
  let count = 0;
  let bytes = 0;
  const close = () => {
    if (count > 0) {
      records.push({ data: Buffer.from(`${lines.slice(first, first + count).join('\n')}\n`), first, count });
    }
  };
  lines.forEach((line, index) => {
    const lineBytes = Buffer.byteLength(line) + 1;
    if (lineBytes > maxRecordBytes) {
      oversized.push(index);
      close();
      first = index + 1;
      count = 0;
      bytes = 0;
      return;
    }
    if (bytes + lineBytes > maxRecordBytes) {
      close();
      first = index;
      count = 0;
      bytes = 0;
    }
    count++;
    bytes += lineBytes;
  });
  close();
  return { records, oversized };
};

/** Groups records into PutRecordBatch calls within the per-call count and byte limits. */
const planCalls = (records: readonly PackedRecord[]): PackedRecord[][] => {
  const calls: PackedRecord[][] = [];
  let current: PackedRecord[] = [];
  let bytes = 0;
  for (const record of records) {
    if (
      current.length === FIREHOSE_LIMITS.recordsPerCall ||
      bytes + record.data.byteLength > FIREHOSE_LIMITS.callBytes
    ) {
      calls.push(current);
      current = [];
      bytes = 0;
    }
    current.push(record);
    bytes += record.data.byteLength;
  }
  if (current.length > 0) calls.push(current);
  return calls;
};
