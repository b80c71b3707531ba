import { problemsError, reasonOf, TallyError } from '#core/errors/tally-error.ts';

/**
 * Errors of the GDPR erasure. Each says what to do; the CLI turns them into a message and exit code,
 * the Lambda into a failed invocation (the ErasureFailures alarm) or a skipped run.
 */

/** Base of every erasure error. */
export class ErasureError extends TallyError {
  override name = 'ErasureError';
}

/** The request itself is invalid (empty user id, bad workspace...): every problem in one message. */
export const ErasureRequestError = problemsError(
  ErasureError,
  'ErasureRequestError',
  'invalid erasure request',
);

/** Configuration of the erasure job (environment, settings) is invalid: every problem in one message. */
export const ErasureConfigError = problemsError(
  ErasureError,
  'ErasureConfigError',
  'invalid erasure configuration',
);

/** Another erasure run holds the erasure lock; nothing was done. Retry after it finishes or its lock expires. */
export class ErasureLockedError extends ErasureError {
  constructor(
    readonly owner: string,
    readonly expiresAt: string,
  ) {
    super(
      `another erasure run (${owner}) holds the erasure lock until ${expiresAt}; retry after it finishes`,
    );
    this.name = 'ErasureLockedError';
  }
}

/**
 * A step of a request failed. The request keeps its place (the step is rerun on the next run, every
 * step is idempotent) and `last_error` in ops.erasure_requests says why.
 */
export class ErasureStepError extends ErasureError {
  constructor(
    readonly requestId: string,
    readonly step: string,
    options: { cause: unknown },
  ) {
    super(
      `erasure request ${requestId}: step ${step} failed (it resumes there on the next run): ${reasonOf(options.cause)}`,
      options,
    );
    this.name = 'ErasureStepError';
  }
}

/** An object of the raw bucket could not be read or rewritten; the object is unchanged. */
export class ObjectRewriteError extends ErasureError {
  constructor(
    readonly key: string,
    options: { cause: unknown },
  ) {
    super(`cannot rewrite ${key}: ${reasonOf(options.cause)}`, options);
    this.name = 'ObjectRewriteError';
  }
}
