import type { Row } from '#core/warehouse/ports.ts';

/**
 * Snowflake upper-cases unquoted identifiers (`select event_date` comes back as `EVENT_DATE`); core code
 * reads the lower-case names DuckDB reports, so every key is lower-cased.
 */
export const toPortRows = <T extends Row>(rows: readonly unknown[]): T[] =>
  rows.map((row) => {
    const out: Row = {};
    for (const [key, value] of Object.entries(row as Row)) out[key.toLowerCase()] = value;
    return out as T;
  });
