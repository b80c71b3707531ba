import { problemsError, TallyError } from '#core/errors/tally-error.ts';

/** Errors of the replay of rejected events and failed batches. */

/** Base of every replay error; `cause` keeps the underlying error. */
export class ReplayError extends TallyError {
  override name = 'ReplayError';
}

/** A replay request (CLI flags or the Lambda's payload) that cannot run; lists every problem at once. */
export const ReplayRequestError = problemsError(ReplayError, 'ReplayRequestError', 'invalid replay request');

/** The replay Lambda's environment is incomplete or invalid; lists every problem at once. */
export const ReplayConfigError = problemsError(
  ReplayError,
  'ReplayConfigError',
  'invalid replay configuration',
);
export type ReplayConfigError = InstanceType<typeof ReplayConfigError>;
