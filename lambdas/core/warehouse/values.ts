/**
 * Reading values the Warehouse port returns. DuckDB gives ISO strings and numbers; the Snowflake driver
 * may give Date objects and numeric strings. Core code reads through these so both work.
 */

/** A timestamp column as a Date (strings without a zone are UTC); null for SQL NULL. */
export const readTimestamp = (value: unknown): Date | null => {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value;
  if (typeof value === 'string') {
    const text = /[zZ]|[+-]\d{2}:?\d{2}$/.test(value) ? value : `${value.replace(' ', 'T')}Z`;
    const date = new Date(text);
    if (!Number.isNaN(date.getTime())) return date;
  }
  throw new TypeError(`not a timestamp: ${JSON.stringify(value)}`);
};

/** A numeric column as a number; null for SQL NULL. */
export const readNumber = (value: unknown): number | null => {
  if (value === null || value === undefined) return null;
  const n = typeof value === 'bigint' ? Number(value) : typeof value === 'string' ? Number(value) : value;
  if (typeof n === 'number' && Number.isFinite(n)) return n;
  throw new TypeError(`not a number: ${JSON.stringify(value)}`);
};

export const readString = (value: unknown): string | null =>
  value === null || value === undefined ? null : String(value);
