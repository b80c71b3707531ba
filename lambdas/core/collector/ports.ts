/** Ports the collector core drives. Adapters: `adapters/aws/kinesis-stream.ts`, `adapters/local/...`. */

export interface StreamRecord {
  /** Kinesis partition key: spreads load, keeps one workspace's events together where possible. */
  readonly partitionKey: string;
  readonly data: Uint8Array;
}

export interface PutRecordsResult {
  /** Indexes (into the records passed in) that the stream did not accept; retry only these. */
  readonly failed: readonly number[];
}

/** A durable stream: a record is acknowledged only once the stream holds it. */
export interface EventStream {
  putRecords(records: readonly StreamRecord[]): Promise<PutRecordsResult>;
}
