import { TallyError } from '#core/errors/tally-error.ts';

/** Errors raised by the AWS adapters. The driving adapter (a handler) decides whether to retry or answer 5xx. */

/** Base of every AWS adapter error; `cause` keeps the SDK error when there is one. */
export class AwsAdapterError extends TallyError {
  override name = 'AwsAdapterError';
}

/** A record is larger than the stream accepts; retrying cannot help, the caller must reject or split it. */
export class StreamRecordTooLargeError extends AwsAdapterError {
  constructor(
    readonly streamName: string,
    readonly index: number,
    readonly bytes: number,
    readonly limitBytes: number,
  ) {
    super(
      `record ${index} for Kinesis stream ${streamName} is ${bytes} bytes (partition key included); ` +
        `the limit is ${limitBytes}. Reject such events before they reach the stream.`,
    );
    this.name = 'StreamRecordTooLargeError';
  }
}

/**
 * A call failed in a way retrying will not fix (missing stream, access denied, bad argument).
 * Carries the resource and the SDK error so on-call can act.
 */
export class AwsCallRejectedError extends AwsAdapterError {
  constructor(
    readonly operation: string,
    readonly resource: string,
    cause: unknown,
  ) {
    super(`${operation} on ${resource} was rejected: ${describe(cause)}`, { cause });
    this.name = 'AwsCallRejectedError';
  }
}

const describe = (error: unknown): string =>
  error instanceof Error ? `${error.name}: ${error.message}` : String(error);
