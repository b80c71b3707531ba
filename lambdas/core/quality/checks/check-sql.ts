import type { Row } from '#core/warehouse/ports.ts';
import { DEFAULT_TRANSFORM_SETTINGS } from '#core/warehouse/settings.ts';
import { queryStatement, type SqlValues } from '#core/warehouse/sql-exec.ts';
import { addDays, parseSqlDate, toSqlDate, toSqlTimestamp } from '#core/warehouse/time.ts';
import { readNumber, readString } from '#core/warehouse/values.ts';
import type { CheckContext } from '../check.ts';

/** Runs statement `name` of `sql/quality/<file>.sql` with named values. */
export const queryCheck = <T extends Row = Row>(
  context: CheckContext,
  file: string,
  name: string,
  values: SqlValues = {},
): Promise<T[]> => {
  return queryStatement<T>(context.warehouse, context.sql.statement(`quality/${file}`, name), values);
};

/** The `(loaded_after, loaded_until]` window of the last `minutes` before the run's clock. */
export const loadedWindow = (now: Date, minutes: number): { loaded_after: string; loaded_until: string } => ({
  loaded_after: toSqlTimestamp(new Date(now.getTime() - minutes * 60_000)),
  loaded_until: toSqlTimestamp(now),
});

/** A count or sum column as a number (0 for SQL NULL: an empty aggregate). */
export const num = (value: unknown): number => readNumber(value) ?? 0;

/** A percentage rounded to 4 decimals (0 when there is no denominator). */
export const percent = (part: number, whole: number): number =>
  whole > 0 ? Math.round((part / whole) * 100 * 10_000) / 10_000 : 0;

/** The fact days a check reads, as `days_from` / `days_to` values (nulls when the window loaded nothing). */
export interface FactDays {
  readonly days_from: string | null;
  readonly days_to: string | null;
}

/**
 * The fact days of the raw rows loaded in `window` (sql/quality/fact_days.sql), widened by `marginDays` on
 * each side: checks that read the fact for rows of a load window read these days only, so the read is
 * pruned by the fact's clustering key (event date) instead of scanning every day for a load time.
 */
export const factDays = async (
  context: CheckContext,
  window: { loaded_after: string; loaded_until: string },
  marginDays = 0,
): Promise<FactDays> => {
  const [row] = await queryCheck(context, 'fact_days', 'fact_days', {
    ...window,
    future_tolerance_minutes: DEFAULT_TRANSFORM_SETTINGS.futureToleranceMinutes,
  });
  const first = parseSqlDate(readString(row?.first_day) ?? '');
  const last = parseSqlDate(readString(row?.last_day) ?? '');
  return {
    days_from: first ? toSqlDate(addDays(first, -marginDays)) : null,
    days_to: last ? toSqlDate(addDays(last, marginDays)) : null,
  };
};
