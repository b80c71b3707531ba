import type { ObjectStore } from '#core/erasure/ports.ts';
import type { StreamedRecord } from '#core/validator/streamed-record.ts';
import type { Row, SqlParam, Warehouse } from '#core/warehouse/ports.ts';

/**
 * Ports the replay drives. The raw bucket and the sinks are the ones the erasure and the validator use
 * (`ObjectStore`, `LineSink`); the warehouse needs only queries, so the local CLI can reach it through a
 * running `tally dev`.
 */

/** Reading the raw bucket's `rejected/` files: S3 on AWS, the bucket folder locally. */
export type RawObjectReader = Pick<ObjectStore, 'list' | 'read' | 'lines'>;

/** Enough of the warehouse to look dedup keys up. */
export interface ReplayWarehouse {
  readonly dialect: Warehouse['dialect'];
  query(sql: string, params?: readonly SqlParam[]): Promise<Row[]>;
}

/**
 * Where the validator's event source mapping left a batch it gave up on: one `KinesisBatchInfo` of the
 * failure queue (Lambda's on-failure destination for a Kinesis source).
 */
export interface FailedBatchPointer {
  readonly streamArn: string;
  readonly shardId: string;
  readonly startSequenceNumber: string;
  readonly endSequenceNumber: string;
  /** Records Lambda counted in the range, when it said. */
  readonly batchSize: number | null;
}

/** One message of the failure queue, as received. */
export interface FailedBatchMessage {
  /** Identifies the message for {@link FailedBatchQueue.delete} (an SQS receipt handle). */
  readonly receipt: string;
  readonly body: string;
}

/** The validator's failure queue. */
export interface FailedBatchQueue {
  /** Up to `max` messages, hidden from other readers until this replay is over; none when it is empty. */
  receive(max: number): Promise<FailedBatchMessage[]>;
  /** Removes a message whose batch is replayed. */
  delete(message: FailedBatchMessage): Promise<void>;
}

/** The records of a range, as far as the stream still holds them. */
export interface StreamRange {
  readonly records: readonly StreamedRecord[];
  /** Why part of the range could not be read (expired with the stream's retention, shard gone), or null. */
  readonly missing: string | null;
}

/** Reads a failed batch's range back from the raw stream (Kinesis on AWS). */
export interface StreamRangeReader {
  read(pointer: FailedBatchPointer): Promise<StreamRange>;
}
