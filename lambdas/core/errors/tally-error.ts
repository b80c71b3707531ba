/**
 * What every area's error family (its `errors.ts`) shares: one base with the message and the `cause`,
 * the errors that list every problem at once, and how a cause reads inside a message. Names are set
 * explicitly, never taken from the constructor: the Lambda bundles are minified.
 */

/** Base of every Tally error; `cause` keeps the underlying error when there is one. */
export class TallyError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TallyError';
  }
}

/** An error of a family that lists every problem found (a request, settings, an environment) in one message. */
export interface ProblemsError extends Error {
  readonly problems: readonly string[];
}

/**
 * A class of `Base`'s family whose message is `<what>: <problem>; <problem>` (the problems alone without
 * `what`): `new (problemsError(ReplayError, 'ReplayConfigError', 'invalid replay configuration'))(problems)`.
 */
export const problemsError = <B extends Error>(
  Base: new (message: string) => B,
  name: string,
  what?: string,
): (new (
  problems: readonly string[],
) => B & ProblemsError) => {
  const Listing = class extends (Base as new (message: string) => Error) {
    readonly problems: readonly string[];
    constructor(problems: readonly string[]) {
      super(what === undefined ? problems.join('; ') : `${what}: ${problems.join('; ')}`);
      this.name = name;
      this.problems = problems;
    }
  };
  Object.defineProperty(Listing, 'name', { value: name });
  return Listing as unknown as new (
    problems: readonly string[],
  ) => B & ProblemsError;
};

/** A cause as it reads inside a message: its message when it is an Error, else its text. */
export const reasonOf = (cause: unknown): string => (cause instanceof Error ? cause.message : String(cause));
