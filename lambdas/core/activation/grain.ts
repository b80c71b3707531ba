import { addDays, isoWeekStart, startOfDay, toSqlDate } from '#core/warehouse/time.ts';

/**
 * The calendar of activation periods. A period is named by its first day (UTC): the day itself, the
 * Monday of its ISO week, or the first of its calendar month. Period numbers count periods from a fixed
 * origin so that "the previous period" is `n - 1`; the SQL computes the same numbers
 * (sql/activation/activation_states.sql, `period_index`), and the tests hold the two together.
 */
export const GRAINS = ['day', 'week', 'month'] as const;
export type Grain = (typeof GRAINS)[number];

export const isGrain = (value: string): value is Grain => (GRAINS as readonly string[]).includes(value);

const DAY_MS = 86_400_000;
const EPOCH_MONDAY = Date.UTC(1970, 0, 5);

const monthStart = (date: Date): Date => new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1));

/** First day of the period of `grain` holding `date`. */
export const periodStart = (grain: Grain, date: Date): Date => {
  if (grain === 'day') return startOfDay(date);
  if (grain === 'week') return isoWeekStart(date);
  return monthStart(date);
};

/** The period `n` periods after the one starting at `start` (n may be negative). */
export const addPeriods = (grain: Grain, start: Date, n: number): Date => {
  if (grain === 'day') return addDays(start, n);
  if (grain === 'week') return addDays(start, 7 * n);
  return new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + n, 1));
};

/** The period number of a period start: days since 1970-01-01, ISO weeks since 1970-01-05, or year * 12 + month. */
export const periodIndex = (grain: Grain, start: Date): number => {
  if (grain === 'day') return Math.round(start.getTime() / DAY_MS);
  if (grain === 'week') return Math.round((start.getTime() - EPOCH_MONDAY) / (7 * DAY_MS));
  return start.getUTCFullYear() * 12 + start.getUTCMonth() + 1;
};

/** The first period that starts on or after `date`. */
export const firstPeriodFrom = (grain: Grain, date: Date): Date => {
  const start = periodStart(grain, date);
  return start.getTime() === startOfDay(date).getTime() ? start : addPeriods(grain, start, 1);
};

/** One entry of the period spine bound to the activation statements. */
export interface SpinePeriod {
  readonly period_start: string;
  readonly period_index: number;
}

/** Every period from the one starting at `from` to the one starting at `to`, both included. */
export const spine = (grain: Grain, from: Date, to: Date): SpinePeriod[] => {
  const out: SpinePeriod[] = [];
  for (let p = periodStart(grain, from); p <= to; p = addPeriods(grain, p, 1)) {
    out.push({ period_start: toSqlDate(p), period_index: periodIndex(grain, p) });
  }
  return out;
};
