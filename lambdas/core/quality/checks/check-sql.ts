import type { Row } from '#core/warehouse/ports.ts';
import { queryStatement, type SqlValues } from '#core/warehouse/sql-exec.ts';
import { defaultSqlLibrary } from '#core/warehouse/sql-library.ts';
import { toSqlTimestamp } from '#core/warehouse/time.ts';
import { readNumber } from '#core/warehouse/values.ts';
import type { CheckContext } from '../check.ts';

/** Runs statement `name` of `sql/quality/<file>.sql` with named values. */
export const queryCheck = <T extends Row = Row>(
  context: CheckContext,
  file: string,
  name: string,
  values: SqlValues = {},
): Promise<T[]> => {
  const library = context.sql ?? defaultSqlLibrary(context.warehouse.dialect);
  return queryStatement<T>(context.warehouse, library.statement(`quality/${file}`, name), values);
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
