import type { Row } from '#core/warehouse/ports.ts';
import { addDays, parseSqlDate, toSqlTimestamp } from '#core/warehouse/time.ts';
import { readNumber, readString } from '#core/warehouse/values.ts';
import type { DayRange } from '../params.ts';
import type { CheckDeclaration } from './meta.ts';

/** Status of a check (its worst bucket), ranked as `sql/console/quality.sql` ranks it. */
export const STATUSES = ['pass', 'skipped', 'error', 'fail'] as const;
export type CheckStatus = (typeof STATUSES)[number];

/**
 * A check's colour on the console: red for a failing error-severity check, amber for a failing warning
 * or a check that could not run, green when it passes, grey when it was not judged (skipped, or no result
 * in the two days before the range's end).
 */
export type Signal = 'red' | 'amber' | 'green' | 'grey';

export interface CheckSummary {
  readonly name: string;
  readonly severity: 'error' | 'warn';
  readonly description: string;
  readonly status: CheckStatus | 'not run';
  readonly signal: Signal;
  readonly checkedAt: string | null;
  readonly buckets: number;
  readonly failingBuckets: number;
  readonly observedMax: number | null;
  readonly observedAbsTotal: number | null;
  /** `docs/runbooks/<name>.md`, served by the console at `/runbooks/<name>`. */
  readonly runbook: string;
}

/** Hours the latest-results lookup reaches back from the range's end. */
const RECENT_HOURS = 48;

/** The bounds of a day range as the quality statements take them: [from_ts, until_ts), and recent_ts. */
export const checkWindow = (range: DayRange) => {
  const from = parseSqlDate(range.from) ?? new Date(0);
  const until = addDays(parseSqlDate(range.to) ?? from, 1);
  return {
    from_ts: toSqlTimestamp(from),
    until_ts: toSqlTimestamp(until),
    recent_ts: toSqlTimestamp(new Date(until.getTime() - RECENT_HOURS * 3_600_000)),
  };
};

const signalOf = (status: CheckStatus | 'not run', severity: string): Signal => {
  if (status === 'fail') return severity === 'error' ? 'red' : 'amber';
  if (status === 'error') return 'amber';
  if (status === 'pass') return 'green';
  return 'grey';
};

/** The worst signal of a list: red over amber over green; grey only when nothing was judged. */
export const worstSignal = (signals: readonly Signal[]): Signal =>
  (['red', 'amber', 'green'] as const).find((s) => signals.includes(s)) ?? 'grey';

/** Every declared check with its latest result (rows of `latest_checks`), in declaration order. */
export const summariseChecks = (
  checks: readonly CheckDeclaration[],
  latest: readonly Row[],
): CheckSummary[] =>
  checks.map((check) => {
    const row = latest.find((r) => r.check_name === check.name);
    const status: CheckStatus | 'not run' = row
      ? (STATUSES[readNumber(row.worst) ?? 0] ?? 'pass')
      : 'not run';
    return {
      name: check.name,
      severity: check.severity,
      description: check.description,
      status,
      signal: signalOf(status, check.severity),
      checkedAt: row ? readString(row.checked_at) : null,
      buckets: readNumber(row?.buckets) ?? 0,
      failingBuckets: readNumber(row?.failing_buckets) ?? 0,
      observedMax: readNumber(row?.observed_max),
      observedAbsTotal: readNumber(row?.observed_abs_total),
      runbook: `/runbooks/${check.name}`,
    };
  });
