/** Errors of the validator's set-up. Bad events are never errors: they become rejected lines. */

/** Base of every validator error; `cause` keeps the underlying error when there is one. */
export class ValidatorError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ValidatorError';
  }
}

/** The validator's environment is incomplete or invalid; lists every problem at once. */
export class ValidatorConfigError extends ValidatorError {
  constructor(readonly problems: readonly string[]) {
    super(`invalid validator configuration: ${problems.join('; ')}`);
    this.name = 'ValidatorConfigError';
  }
}
