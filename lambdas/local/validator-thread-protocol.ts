import type { ValidatorCounts } from './validator-consumer.ts';

/** What the validator thread needs to start (its `workerData`); plain data, as it crosses threads. */
export interface ValidatorThreadConfig {
  readonly streamDir: string;
  readonly checkpointFile: string;
  readonly bucketDir: string;
  readonly schemasDir: string;
  readonly bufferBytes: number;
  readonly bufferIntervalMs: number;
  /** The log's durable end and segment bases when the thread starts. */
  readonly durableEnd: number;
  readonly segmentBases: readonly number[];
}

/** How far the validator thread got; sent within 200 ms of any change (the last one included) and on request. */
export interface ValidatorThreadStats {
  readonly counts: ValidatorCounts;
  /** Log position of the next record to validate. */
  readonly position: number;
  readonly committedPosition: number;
  readonly lastError: string | null;
  /** Lines validated but not yet in a bucket file. */
  readonly linesBuffered: number;
}

/** Main thread to validator thread. */
export type ToValidatorThread =
  | { readonly type: 'follow'; readonly end: number; readonly segmentBases: readonly number[] }
  /** Validate everything durable so far, deliver it to the bucket folder and commit the checkpoint. */
  | { readonly type: 'drain'; readonly id: number }
  /** Drain, then close everything: the thread ends after answering. */
  | { readonly type: 'stop'; readonly id: number };

/** Validator thread to main thread. */
export type FromValidatorThread =
  | { readonly type: 'ready' }
  /** Start-up failed (bad schemas folder, unreadable checkpoint): the message says what to fix. */
  | { readonly type: 'failed'; readonly name: string; readonly message: string }
  /** A bucket file is durable: the loader can pick it up. */
  | { readonly type: 'file' }
  /** The checkpoint passed `position`: the writer may delete the segments before it. */
  | { readonly type: 'consumed'; readonly position: number }
  | { readonly type: 'stats'; readonly stats: ValidatorThreadStats }
  | { readonly type: 'problem'; readonly message: string }
  | { readonly type: 'done'; readonly id: number; readonly error?: string };
