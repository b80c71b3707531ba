import type { TrackingPlanMode } from '#core/contract/envelope.ts';

/** Ports the collector core drives. Adapters: `adapters/aws/kinesis-stream.ts`, `adapters/local/...`. */

export interface StreamRecord {
  /** Kinesis partition key: the event id, so load spreads evenly over shards whatever a workspace's size. */
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

/** What a write key grants: the source it belongs to, unless revoked, and the source's tracking plan. */
export interface WriteKeyRecord {
  readonly sourceId: string;
  readonly revoked: boolean;
  /** `allow` lets the source's events without a schema in (flagged unplanned); `strict` rejects them. */
  readonly trackingPlan: TrackingPlanMode;
}

/**
 * Where per-source write keys live, stored only as sha256 hex digests of the key.
 * Adapters: `adapters/aws/ssm-write-key-store.ts`, `adapters/local/file-write-key-store.ts`.
 * The core caches answers (see `write-key-cache.ts`), so adapters may be slow; they throw when
 * the store cannot be read (the collector then answers 503, it never guesses).
 */
export interface WriteKeyStore {
  /** The record for a key digest (lower-case sha256 hex), or undefined when no source has that key. */
  lookup(keySha256: string): Promise<WriteKeyRecord | undefined>;
}

/**
 * Inflates a gzip request body, refusing to produce more than `maxBytes` (RequestTooLargeError) or a
 * stream that is not gzip (InvalidGzipError). An adapter: `#adapters/node/gunzip-body.ts`.
 */
export type InflateBody = (bytes: Uint8Array, maxBytes: number) => Promise<Uint8Array>;

/** Wall clock in epoch milliseconds; injected so tests control receipt times, cache expiry and retry budgets. */
export interface Clock {
  now(): number;
}

/** Waits `ms` milliseconds; injected so retry tests do not sleep. */
export type { Sleep } from '#core/retry/sleep.ts';

/**
 * What the service behind the collector says about itself. The local stack reports its warehouse being
 * reopened after a fatal error; the AWS collector has none (Kinesis is the whole of its service).
 */
export interface ServiceHealth {
  /** Null while healthy; else why events must not be accepted now (also what `/health` says). */
  problem(): string | null;
}
