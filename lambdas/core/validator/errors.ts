import { problemsError, TallyError } from '#core/errors/tally-error.ts';

/** Errors of the validator's set-up. Bad events are never errors: they become rejected lines. */

/** Base of every validator error; `cause` keeps the underlying error when there is one. */
export class ValidatorError extends TallyError {
  override name = 'ValidatorError';
}

/** The validator's environment is incomplete or invalid; lists every problem at once. */
export const ValidatorConfigError = problemsError(
  ValidatorError,
  'ValidatorConfigError',
  'invalid validator configuration',
);
