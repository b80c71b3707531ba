import { TallyError } from '#core/errors/tally-error.ts';

/** Errors of the quality checks. The CLI and the handler map them to exit codes and logs. */

/** Base of every quality error. */
export class QualityError extends TallyError {
  override name = 'QualityError';
}

/** Names asked for that no declared check has. */
export class UnknownCheckError extends QualityError {
  readonly unknown: readonly string[];
  readonly known: readonly string[];
  constructor(unknown: readonly string[], known: readonly string[]) {
    super(
      `unknown check${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}; known checks: ${known.join(', ')}`,
    );
    this.name = 'UnknownCheckError';
    this.unknown = unknown;
    this.known = known;
  }
}

/** A check's parameters are inconsistent (e.g. a negative threshold); every problem in one message. */
export class CheckParamsError extends QualityError {
  readonly check: string;
  readonly problems: readonly string[];
  constructor(check: string, problems: readonly string[]) {
    super(`check ${check} has invalid parameters: ${problems.join('; ')}`);
    this.name = 'CheckParamsError';
    this.check = check;
    this.problems = problems;
  }
}

/** A check could not run (its query failed, an input table is missing...). Recorded with status `error`. */
export class CheckExecutionError extends QualityError {
  readonly check: string;
  constructor(check: string, cause: unknown) {
    super(`check ${check} could not run: ${cause instanceof Error ? cause.message : String(cause)}`, {
      cause,
    });
    this.name = 'CheckExecutionError';
    this.check = check;
  }
}
