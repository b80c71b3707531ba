/**
 * Errors of the warehouse layer: SQL templates, loading raw files, model runs.
 * Each carries what a user needs to act; only the edge (CLI, Lambda) decides on retries or exit codes.
 */

/** Base class: every warehouse-layer failure is a WarehouseError. */
export class WarehouseError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'WarehouseError';
  }
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

/** Two transactions wrote the same rows at once; the loser is rolled back and may retry. */
export class WarehouseConflictError extends WarehouseQueryError {
  constructor(message: string, sql: string, options?: { cause?: unknown }) {
    super(message, sql, options);
    this.name = 'WarehouseConflictError';
  }
}

/** A file handed to the raw loader has a line that is not a valid record; nothing from the file is loaded. */
export class LoadFileError extends WarehouseError {
  constructor(
    readonly fileName: string,
    readonly line: number,
    readonly reason: string,
  ) {
    super(
      `${fileName} line ${line}: ${reason}; the file was not loaded (fix or quarantine it, then load again)`,
    );
    this.name = 'LoadFileError';
  }
}

/** The feature catalog cannot be read or is malformed. */
export class FeatureCatalogError extends WarehouseError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'FeatureCatalogError';
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

/** Invalid arguments to a run: a backfill range, an unknown model name. Lists every problem at once. */
export class TransformArgumentError extends WarehouseError {
  constructor(readonly problems: readonly string[]) {
    super(problems.join('; '));
    this.name = 'TransformArgumentError';
  }
}

/** A model failed; the run's transaction was rolled back and the failure logged in ops.model_runs. */
export class ModelRunError extends WarehouseError {
  constructor(
    readonly model: string,
    readonly runId: string,
    options: { cause: unknown },
  ) {
    const reason = options.cause instanceof Error ? options.cause.message : String(options.cause);
    super(`model ${model} failed in run ${runId} (rolled back, nothing written): ${reason}`, options);
    this.name = 'ModelRunError';
  }
}
