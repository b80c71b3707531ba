import { parseSqlDate, toSqlDate } from '#core/warehouse/time.ts';

/** A DATE column as a UTC midnight: DuckDB answers `YYYY-MM-DD`, the Snowflake driver may answer a Date. */
export const readSqlDate = (value: unknown): Date | null => {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return parseSqlDate(toSqlDate(value));
  const date = parseSqlDate(String(value).slice(0, 10));
  if (!date) throw new TypeError(`not a date: ${JSON.stringify(value)}`);
  return date;
};
