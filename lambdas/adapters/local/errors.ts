import { TallyError } from '#core/errors/tally-error.ts';

/** Errors raised by the local-mode adapters (durable log, local Firehose, bucket loader, HTTP server). */

/** Base class: every local-mode adapter error is one of these. */
export class LocalAdapterError extends TallyError {
  override name = 'LocalAdapterError';
}

/** A log segment holds bytes that are not valid frames somewhere other than its torn tail. */
export class LogCorruptionError extends LocalAdapterError {
  constructor(
    readonly file: string,
    readonly offset: number,
    detail: string,
  ) {
    super(
      `Stream log ${file} is corrupt at byte ${offset}: ${detail}. ` +
        'Move the .tally/stream folder aside to start from an empty stream (unconsumed events in it are lost).',
    );
    this.name = 'LogCorruptionError';
  }
}

/** The log could not make a batch durable; the caller must not acknowledge it. */
export class LogWriteError extends LocalAdapterError {
  constructor(
    readonly file: string,
    cause: unknown,
  ) {
    super(
      `Could not append to stream log ${file}: ${describe(cause)}. Check free disk space and permissions.`,
      {
        cause,
      },
    );
    this.name = 'LogWriteError';
  }
}

/** The log was used after close, or a position outside it was asked for. */
export class LogStateError extends LocalAdapterError {
  constructor(message: string) {
    super(message);
    this.name = 'LogStateError';
  }
}

/** A checkpoint file exists but cannot be read as one. */
export class CheckpointError extends LocalAdapterError {
  constructor(
    readonly file: string,
    detail: string,
    cause?: unknown,
  ) {
    super(`Checkpoint ${file} is unreadable: ${detail}. Delete it to reprocess the stream from its start.`, {
      cause,
    });
    this.name = 'CheckpointError';
  }
}

/** The local Firehose could not store a file in the bucket folder. */
export class SinkFlushError extends LocalAdapterError {
  constructor(
    readonly key: string,
    cause: unknown,
  ) {
    super(
      `Could not write ${key} to the local bucket: ${describe(cause)}. Check free disk space and permissions.`,
      {
        cause,
      },
    );
    this.name = 'SinkFlushError';
  }
}

const describe = (cause: unknown): string => (cause instanceof Error ? cause.message : String(cause));
