/** Errors raised while building the CDK app; each carries what the operator needs to fix it. */

/** Base class of every infrastructure error. */
export class TallyInfraError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TallyInfraError';
  }
}

/** One or more `cdk.json` context values are missing or invalid; `problems` lists every one of them. */
export class TallyConfigError extends TallyInfraError {
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(
      `Invalid Tally configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}; ` +
        `set them in cdk.json "context" or with -c key=value):\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
    this.name = 'TallyConfigError';
    this.problems = problems;
  }
}
