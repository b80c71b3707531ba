/** Errors of the replay of rejected events and failed batches. */

/** Base of every replay error; `cause` keeps the underlying error. */
export class ReplayError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ReplayError';
  }
}

/** A replay request (CLI flags or the Lambda's payload) that cannot run; lists every problem at once. */
export class ReplayRequestError extends ReplayError {
  constructor(readonly problems: readonly string[]) {
    super(`invalid replay request: ${problems.join('; ')}`);
    this.name = 'ReplayRequestError';
  }
}

/** The replay Lambda's environment is incomplete or invalid; lists every problem at once. */
export class ReplayConfigError extends ReplayError {
  constructor(readonly problems: readonly string[]) {
    super(`invalid replay configuration: ${problems.join('; ')}`);
    this.name = 'ReplayConfigError';
  }
}
