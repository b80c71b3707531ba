import { addDays, parseSqlDate, startOfDay, toSqlDate } from '#core/warehouse/time.ts';
import { type ParameterProblem, ReportParameterError } from './errors.ts';

/** Query-string parameters as the edge hands them over: one string per name, unchecked. */
export type RawParams = Readonly<Record<string, string>>;

/** Longest range a report reads: two years of days. */
export const MAX_RANGE_DAYS = 731;

/** An inclusive range of UTC days. */
export interface DayRange {
  /** `YYYY-MM-DD` */
  readonly from: string;
  /** `YYYY-MM-DD`, inclusive */
  readonly to: string;
}

/** A workspace, feature or other key: printable, without control characters, at most 200 characters. */
const KEY = /^[^\p{Cc}\p{Cs}]{1,200}$/u;

/**
 * Reads a report's parameters, collecting every problem of the request, then throws them together
 * (ReportParameterError). Parameters nobody read are problems too: a misspelt filter must not be ignored
 * silently, or the page would show unfiltered numbers under a filtered title. Values are only ever bound
 * as SQL parameters; these checks are for clear answers, not for safety.
 */
export class ParamReader {
  private readonly problems: ParameterProblem[] = [];
  private readonly known = new Set<string>();

  constructor(
    private readonly report: string,
    private readonly raw: RawParams,
  ) {}

  /** The raw text of a parameter (trimmed), or undefined when absent or empty. */
  private text(name: string): string | undefined {
    this.known.add(name);
    const value = this.raw[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  }

  problem(parameter: string, reason: string): void {
    this.problems.push({ parameter, reason });
  }

  /** An optional key (a workspace id, a feature id): null when absent. */
  key(name: string): string | null {
    const value = this.text(name);
    if (value === undefined) return null;
    if (!KEY.test(value)) {
      this.problem(name, 'must be 1 to 200 printable characters');
      return null;
    }
    return value;
  }

  /** One of `values`; `fallback` when absent. */
  oneOf<T extends string>(name: string, values: readonly T[], fallback: T): T {
    const value = this.text(name);
    if (value === undefined) return fallback;
    if (!(values as readonly string[]).includes(value)) {
      this.problem(name, `must be one of ${values.join(', ')}, got ${JSON.stringify(value)}`);
      return fallback;
    }
    return value as T;
  }

  /** An integer from min to max; `fallback` when absent. */
  integer(name: string, min: number, max: number, fallback: number): number {
    const value = this.text(name);
    if (value === undefined) return fallback;
    const n = Number(value);
    if (!/^-?\d+$/.test(value) || n < min || n > max) {
      this.problem(name, `must be an integer from ${min} to ${max}, got ${JSON.stringify(value)}`);
      return fallback;
    }
    return n;
  }

  /**
   * `from` and `to`, inclusive UTC days (`YYYY-MM-DD`). Absent: `to` is today and `from` is
   * `defaultDays - 1` days before `to`.
   */
  range(today: Date, defaultDays: number): DayRange {
    const day = (name: string): Date | null => {
      const value = this.text(name);
      if (value === undefined) return null;
      const parsed = parseSqlDate(value);
      if (!parsed) this.problem(name, `must be a day like 2026-03-09, got ${JSON.stringify(value)}`);
      return parsed;
    };
    const given = { from: day('from'), to: day('to') };
    const to = given.to ?? startOfDay(today);
    const from = given.from ?? addDays(to, 1 - defaultDays);
    if (from > to) this.problem('from', `${toSqlDate(from)} is after to ${toSqlDate(to)}`);
    else if ((to.getTime() - from.getTime()) / 86_400_000 + 1 > MAX_RANGE_DAYS) {
      this.problem('to', `the range may span at most ${MAX_RANGE_DAYS} days`);
    }
    return { from: toSqlDate(from), to: toSqlDate(to) };
  }

  /** Throws every problem found, and one for each parameter no reader asked for. */
  finish(): void {
    for (const name of Object.keys(this.raw).sort()) {
      if (!this.known.has(name)) {
        this.problem(
          name,
          `unknown parameter; this report takes ${[...this.known].sort().join(', ') || 'none'}`,
        );
      }
    }
    if (this.problems.length > 0) throw new ReportParameterError(this.report, this.problems);
  }
}
