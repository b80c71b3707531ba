import { TallyError } from '#core/errors/tally-error.ts';
import { diskFullLine, START_FIX } from './disk-full.ts';

/** Errors of the local runtime (`tally dev` and the commands that talk to it). */

/** Base class: every local-runtime error is one of these. */
export class LocalRuntimeError extends TallyError {
  override name = 'LocalRuntimeError';
}

/** A file under the local state folder (`.tally/`) cannot be used as it is. */
export class LocalStateError extends LocalRuntimeError {
  constructor(
    readonly file: string,
    detail: string,
    cause?: unknown,
  ) {
    super(`${file}: ${detail}`, cause === undefined ? undefined : { cause });
    this.name = 'LocalStateError';
  }
}

/** Another process holds the state folder's warehouse: a running `tally dev`, or a reader of the file. */
export class DevAlreadyRunningError extends LocalRuntimeError {
  constructor(
    readonly pid: number | null,
    /** The running stack's collector endpoint; null when the holder is not a `tally dev` that answers. */
    readonly url: string | null,
    readonly warehouseFile: string,
    cause?: unknown,
  ) {
    const holder = pid === null ? 'another process' : `pid ${pid}`;
    super(
      url !== null
        ? `tally dev is already running (${holder}, ${url}) on this state folder. ` +
            'Stop it with Ctrl-C, or use --home to run a second stack on another folder.'
        : `${warehouseFile} is held by ${holder} (a tally dev still starting or stopping, a tally query or ` +
            'tally check reading the file, a DuckDB shell). Wait for it or stop it, or use --home to run a ' +
            'stack on another folder.',
      cause === undefined ? undefined : { cause },
    );
    this.name = 'DevAlreadyRunningError';
  }
}

/** The running `tally dev` answered an admin request with an error. */
export class AdminRequestError extends LocalRuntimeError {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'AdminRequestError';
  }
}

/** Options of `tally dev` that do not make sense, all listed at once. */
export class LocalConfigError extends LocalRuntimeError {
  constructor(readonly problems: readonly string[]) {
    super(`invalid local configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'LocalConfigError';
  }
}

/** The validator thread could not start (its own error, e.g. a bad schemas folder, is in the message). */
export class ValidatorThreadError extends LocalRuntimeError {
  constructor(
    /** Name of the error the thread met (e.g. `SchemaRegistryError`). */
    readonly causeName: string,
    message: string,
  ) {
    super(`validator thread: ${message}`);
    this.name = 'ValidatorThreadError';
  }
}

/** The disk holding the state folder is full, so `tally dev` cannot start (or the command cannot write). */
export class DiskFullError extends LocalRuntimeError {
  constructor(
    readonly folder: string,
    /** Bytes free on its filesystem when it was checked; null when that could not be read. */
    readonly freeBytes: number | null,
    cause: unknown,
  ) {
    super(`tally dev cannot start: ${diskFullLine(folder, freeBytes, null, START_FIX)}`, { cause });
    this.name = 'DiskFullError';
  }
}
