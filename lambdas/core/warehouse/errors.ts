import { problemsError, reasonOf, TallyError } from '#core/errors/tally-error.ts';

/**
 * Errors of the warehouse layer: SQL templates, loading raw files, model runs.
 * Each carries what a user needs to act; only the edge (CLI, Lambda) decides on retries or exit codes.
 */

/** Base class: every warehouse-layer failure is a WarehouseError. */
export class WarehouseError extends TallyError {
  override name = 'WarehouseError';
}

/** A SQL file under `sql/` cannot be rendered: unknown helper, bad arguments, stray `?`. A bug in the SQL source. */
export class SqlTemplateError extends WarehouseError {
  constructor(
    message: string,
    readonly file: string,
  ) {
    super(`${file}: ${message}`);
    this.name = 'SqlTemplateError';
  }
}

/** A statement was executed without a value for one of its named parameters. */
export class MissingSqlParamError extends WarehouseError {
  constructor(
    readonly statement: string,
    readonly param: string,
  ) {
    super(`statement ${statement} needs a value for parameter '${param}'`);
    this.name = 'MissingSqlParamError';
  }
}

/** The warehouse rejected or failed a statement. `statement` names the SQL file and statement when known. */
export class WarehouseQueryError extends WarehouseError {
  constructor(
    message: string,
    readonly sql: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'WarehouseQueryError';
  }
}

/**
 * The warehouse cannot run statements until it is reopened (DuckDB invalidates a database after a fatal
 * error, such as a checkpoint that hit a full disk). Nothing was executed; the adapter is reopening it, so
 * the caller keeps its work and tries again later. `reason` is the fatal error that started the outage.
 */
export class WarehouseUnavailableError extends WarehouseError {
  constructor(
    readonly reason: string,
    readonly since: Date,
    options?: { cause?: unknown },
  ) {
    super(
      `the warehouse is unavailable until it is reopened (since ${since.toISOString()}): ${reason}`,
      options,
    );
    this.name = 'WarehouseUnavailableError';
  }
}

/** Two transactions wrote the same rows at once; the loser is rolled back and may retry. */
export class WarehouseConflictError extends WarehouseQueryError {
  constructor(message: string, sql: string, options?: { cause?: unknown }) {
    super(message, sql, options);
    this.name = 'WarehouseConflictError';
  }
}

/**
 * The warehouse's own reader (DuckDB's, in one statement) could not load a raw file whole: a line it
 * refuses, bytes it cannot read, a gzip stream cut short. The transaction it ran in is spoiled; roll it
 * back and load the file by lines, which stores every good line and routes each bad one to
 * raw.rejected_events (`loadRawFiles` in raw-loader.ts does both).
 */
export class RawFileRefusedError extends WarehouseError {
  constructor(
    readonly fileName: string,
    options: { cause: unknown },
  ) {
    super(
      `${fileName}: the warehouse's file reader refused the file (${reasonOf(options.cause)}); load it by lines`,
      options,
    );
    this.name = 'RawFileRefusedError';
  }
}

/** Another transform run holds the lock; carries who holds it and until when, so the caller can wait or investigate. */
export class TransformLockedError extends WarehouseError {
  constructor(
    readonly owner: string,
    readonly expiresAt: string,
  ) {
    super(
      `another transform run (${owner}) holds the lock until ${expiresAt}; wait for it, or for the lock to expire`,
    );
    this.name = 'TransformLockedError';
  }
}

/**
 * The run finished (its writes are committed) but its lock could not be released, e.g. on a full disk. The
 * lock stays held until it expires, unless the same exclusive owner takes it back at its next run.
 */
export class LockReleaseError extends WarehouseError {
  constructor(
    readonly owner: string,
    readonly lockName: string,
    options: { cause: unknown },
  ) {
    super(
      `run ${owner} finished, but its ${lockName} lock could not be released (${reasonOf(options.cause)}); ` +
        'it stays held until it expires, unless its owner takes it back at its next run',
      options,
    );
    this.name = 'LockReleaseError';
  }
}

/** The run lost its lock (it expired and another run took it over); the run's writes were rolled back. */
export class TransformLockLostError extends WarehouseError {
  constructor(readonly owner: string) {
    super(`run ${owner} lost the transform lock before committing; its writes were rolled back`);
    this.name = 'TransformLockLostError';
  }
}

/**
 * A run stopped before its deadline (the Lambda's timeout less the time kept to roll back and free the
 * lock): what it had written is rolled back and the next run starts again from the same watermark.
 */
export class RunDeadlineError extends WarehouseError {
  constructor(
    readonly deadline: Date,
    readonly reserveMs: number,
  ) {
    super(
      `stopped ${Math.round(reserveMs / 1000)} s before the run's deadline ${deadline.toISOString()} (the time kept to roll back and free the lock)`,
    );
    this.name = 'RunDeadlineError';
  }
}

/**
 * A run asked to stop (the local stack shutting down on Ctrl-C): it starts no further statement, rolls back
 * and frees the lock, so a stop does not wait for the rest of a long run; the next run does the work again.
 */
export class RunStoppedError extends WarehouseError {
  constructor(readonly reason: string) {
    super(`stopped before it finished (${reason}); nothing it wrote is kept and the next run does it again`);
    this.name = 'RunStoppedError';
  }
}

/** Invalid arguments to a run: a backfill range, an unknown model name. Lists every problem at once. */
export const TransformArgumentError = problemsError(WarehouseError, 'TransformArgumentError');
export type TransformArgumentError = InstanceType<typeof TransformArgumentError>;

/** A model failed; the run's transaction was rolled back and the failure logged in ops.model_runs. */
export class ModelRunError extends WarehouseError {
  constructor(
    readonly model: string,
    readonly runId: string,
    options: { cause: unknown },
  ) {
    super(
      `model ${model} failed in run ${runId} (rolled back, nothing written): ${reasonOf(options.cause)}`,
      options,
    );
    this.name = 'ModelRunError';
  }
}
