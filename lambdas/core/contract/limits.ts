/** Limits of the event contract, shared by the collector (to answer early) and the validator (to enforce). */

/** Largest event, in UTF-8 bytes of its JSON text. */
export const MAX_EVENT_BYTES = 32 * 1024;

/**
 * Deepest nesting of objects and arrays in one event (the event object itself is depth 1).
 * Real events stay under 10; the limit keeps recursive code (schema validation, content
 * hashing) safe from hostile input.
 */
export const MAX_NESTING_DEPTH = 32;

/**
 * Times the pipeline writes lie in 1583-01-01 to 9999-12-30 (UTC), the range both warehouses store
 * and the transform reads: Snowflake documents years 1582 to 9999 for its timestamps (1583 is the
 * first whole year of the Gregorian calendar, which both count in), DuckDB stores a wider range,
 * `toISOString` text has four-digit years only up to 9999, and the transform takes 9999-12-31 as
 * "no end" (`FAR_FUTURE` in lambdas/core/warehouse/runner.ts), so an event on that day would stay in
 * raw, never counted. A client time outside it is INVALID_TIMESTAMP.
 */
export const EARLIEST_TIME_MS = -12_212_553_600_000; // 1583-01-01T00:00:00.000Z
export const LATEST_TIME_MS = 253_402_214_399_999; // 9999-12-30T23:59:59.999Z
/** The range above as the reject messages say it. */
export const TIME_RANGE_TEXT = '1583-01-01 to 9999-12-30 (UTC)';

/** Whether epoch milliseconds fall inside the range the warehouses store (false for NaN). */
export const isStorableTime = (ms: number): boolean => ms >= EARLIEST_TIME_MS && ms <= LATEST_TIME_MS;
