import { TallyError } from '#core/errors/tally-error.ts';

/**
 * Errors of the console's read API. Only the driving adapter (the local console server) maps them to an
 * HTTP status: a bad parameter is the client's to fix (400), an unknown report is not there (404), and a
 * failing report is ours (500).
 */

/** Base class: every read-API failure is a ConsoleError. */
export class ConsoleError extends TallyError {
  override name = 'ConsoleError';
}

/** One parameter and what is wrong with it, in words a person can act on. */
export interface ParameterProblem {
  readonly parameter: string;
  readonly reason: string;
}

/** A request's parameters do not make sense; every problem of the request at once. */
export class ReportParameterError extends ConsoleError {
  constructor(
    readonly report: string,
    readonly problems: readonly ParameterProblem[],
  ) {
    super(`${report}: ${problems.map((p) => `${p.parameter}: ${p.reason}`).join('; ')}`);
    this.name = 'ReportParameterError';
  }
}

/** No report has that name. */
export class UnknownReportError extends ConsoleError {
  constructor(
    readonly report: string,
    readonly known: readonly string[],
  ) {
    super(`no report "${report}"; the reports are: ${known.join(', ')}`);
    this.name = 'UnknownReportError';
  }
}

/** A report's reads failed in the warehouse (the cause says how). */
export class ReportFailedError extends ConsoleError {
  constructor(
    readonly report: string,
    cause: unknown,
  ) {
    super(`${report}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'ReportFailedError';
  }
}
