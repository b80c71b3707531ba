import type { LoaderRejectReasonCode } from '#core/contract/envelope.ts';
import { exceedsNestingDepth } from '#core/contract/json-depth.ts';
import { isWellFormed, wellFormed } from '../contract/unicode.ts';
import { parseIsoTimestamp, toSqlTimestamp } from './time.ts';

/**
 * Checks one NDJSON line of an `events/` or `rejected/` file and prepares it for the raw insert
 * statements: timestamps normalised to UTC, the line number added as `_row`. Returns a reason string
 * when the line cannot be loaded; such a line becomes an UNLOADABLE_LINE row of raw.rejected_events
 * ({@link unloadableRow}). DuckDB's file load (lambdas/adapters/duckdb/raw-file-sql.ts) makes the same
 * checks in SQL; change both together (test/adapters/local/raw-loader-paths.test.ts compares them).
 */
export type PreparedLine =
  | { readonly ok: true; readonly record: Record<string, unknown> }
  | { readonly ok: false; readonly reason: string };

/** The reject reason of a line the loaders cannot load. */
export const UNLOADABLE_LINE: LoaderRejectReasonCode = 'UNLOADABLE_LINE';

/**
 * The longest line a loader takes, in UTF-8 bytes: DuckDB's file reader stops at it (`max_line_size`),
 * and a Snowflake VARIANT holds 16 MB. Nothing the validator writes comes near (an event is at most 32 KiB).
 */
export const MAX_LINE_BYTES = 16 * 1024 * 1024;

/** Most characters of an unloadable line kept in its row's `raw_record`; the file in the bucket keeps it whole. */
export const UNLOADABLE_RECORD_CHARS = 1024 * 1024;

/**
 * Deepest nesting of objects and arrays a line may have. The line path sends rows as JSON text, and
 * `JSON.stringify` runs out of stack near 10,000 levels (`JSON.parse` does not), which would fail the
 * file at every attempt; the validator writes at most 32 levels of event, plus the line's own.
 */
export const MAX_LINE_DEPTH = 1000;

type Obj = Record<string, unknown>;

const parseObject = (text: string): Obj | string => {
  if (exceedsNestingDepth(text, MAX_LINE_DEPTH))
    return `nests objects or arrays deeper than ${MAX_LINE_DEPTH} levels`;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return `not valid JSON (${(error as Partial<Error>).message ?? String(error)})`;
  }
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Obj)
    : 'not a JSON object';
};

/** Where a parsed line holds a lone surrogate (`payload.properties.name`, a key's own path), or null. */
const loneSurrogateAt = (value: unknown, path: string): string | null => {
  if (typeof value === 'string') return !isWellFormed(value) ? path : null;
  if (typeof value !== 'object' || value === null) return null;
  for (const [key, child] of Object.entries(value)) {
    const at = path === '' ? key : `${path}.${key}`;
    if (!isWellFormed(key)) return at;
    const found = loneSurrogateAt(child, at);
    if (found !== null) return found;
  }
  return null;
};

/** `\ud800`-style escapes (paired or not) or raw surrogates: only then is the parsed line walked. */
const MAY_HOLD_SURROGATE = /\\u[dD][89a-fA-F]|[\ud800-\udfff]/;

/**
 * A reason when the line holds a string (or a key) with a lone UTF-16 surrogate: UTF-8 cannot store one,
 * and DuckDB's JSON reader refuses the whole line (`no low surrogate in string`).
 */
const loneSurrogate = (text: string, obj: Obj): string | null => {
  if (!MAY_HOLD_SURROGATE.test(text)) return null;
  const at = loneSurrogateAt(obj, '');
  return at === null
    ? null
    : `${at} holds a lone UTF-16 surrogate (half of a pair, e.g. \\ud800), which UTF-8 cannot store`;
};

const requireString = (obj: Obj, field: string): string | null =>
  typeof obj[field] === 'string' && obj[field] !== '' ? null : `${field} must be a non-empty string`;

const isLeapYear = (year: number): boolean => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

/**
 * A zoned ISO-8601 timestamp on a day the calendar has. JavaScript's Date rolls `2026-02-30` over to
 * March 2; DuckDB's file reader refuses it, and both load paths must refuse the same lines.
 */
const parseTimestamp = (text: string): Date | null => {
  const date = parseIsoTimestamp(text);
  if (!date) return null;
  const [year = 0, month = 0, day = 0] = text.slice(0, 10).split('-').map(Number);
  const monthDays = [31, isLeapYear(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
  return day <= monthDays ? date : null;
};

/**
 * Years a stored timestamp may have once in UTC: four digits, as both warehouses write and read them
 * (`0000-01-01T00:00:00+00:01` is year -1 in UTC, `9999-12-31T23:30:00-01:00` year 10000).
 */
export const MIN_UTC_YEAR = 0;
export const MAX_UTC_YEAR = 9999;

/** Normalises `field` in place when present; a reason when it is present but not a zoned ISO-8601 timestamp. */
const normaliseTimestamp = (obj: Obj, field: string, required: boolean): string | null => {
  const value = obj[field];
  if (value === null || value === undefined) return required ? `${field} is required` : null;
  const date = typeof value === 'string' ? parseTimestamp(value) : null;
  if (!date) return `${field} is not an ISO-8601 timestamp with a zone: ${JSON.stringify(value)}`;
  const year = date.getUTCFullYear();
  if (year < MIN_UTC_YEAR || year > MAX_UTC_YEAR)
    return `${field} is outside the years ${MIN_UTC_YEAR.toString().padStart(4, '0')}-${MAX_UTC_YEAR} in UTC: ${JSON.stringify(value)}`;
  obj[field] = toSqlTimestamp(date);
  return null;
};

const firstProblem = (checks: (() => string | null)[]): string | null => {
  for (const check of checks) {
    const problem = check();
    if (problem !== null) return problem;
  }
  return null;
};

const optionalBoolean = (obj: Obj, field: string): string | null =>
  obj[field] === undefined || obj[field] === null || typeof obj[field] === 'boolean'
    ? null
    : `${field} must be a boolean`;

/** A ValidatedLine (CanonicalEvent + payload) ready for `loads/raw_events`. */
export const prepareEventLine = (text: string, row: number): PreparedLine => {
  const obj = parseObject(text);
  if (typeof obj === 'string') return { ok: false, reason: obj };
  const problem = firstProblem([
    () => loneSurrogate(text, obj),
    () => requireString(obj, 'dedup_key'),
    () => requireString(obj, 'event_name'),
    () => requireString(obj, 'schema_version'),
    () => requireString(obj, 'source_id'),
    () => normaliseTimestamp(obj, 'received_at', true),
    () => normaliseTimestamp(obj, 'event_ts', true),
    () => normaliseTimestamp(obj, 'occurred_at', false),
    () => normaliseTimestamp(obj, 'sent_at', false),
    () => optionalBoolean(obj, 'feature_known'),
    // absent on lines written before tracking plans: the insert takes it as true (planned)
    () => optionalBoolean(obj, 'planned'),
  ]);
  if (problem) return { ok: false, reason: problem };
  obj._row = row;
  return { ok: true, record: obj };
};

/** A RejectedLine ready for `loads/raw_rejected_events`. */
export const prepareRejectedLine = (text: string, row: number): PreparedLine => {
  const obj = parseObject(text);
  if (typeof obj === 'string') return { ok: false, reason: obj };
  const reason = obj.reason as Obj | undefined;
  const problem = firstProblem([
    () => loneSurrogate(text, obj),
    () =>
      typeof reason === 'object' && reason !== null && typeof reason.code === 'string'
        ? null
        : 'reason.code is required',
    () => (typeof obj.raw_record === 'string' ? null : 'raw_record must be a string'),
    () => normaliseTimestamp(obj, 'received_at', true),
  ]);
  if (problem) return { ok: false, reason: problem };
  obj._row = row;
  return { ok: true, record: obj };
};

/** What an unloadable line's row repeats from the line, when the line is a JSON object that has them. */
const KNOWN_FIELDS = [
  'source_id',
  'request_id',
  'intake',
  'event_name',
  'event_id',
  'workspace_id',
  'user_id',
] as const;

/**
 * The raw.rejected_events row (a RejectedLine, for `loads/raw_rejected_events`) of a line that cannot be
 * loaded: reason UNLOADABLE_LINE with `problem` as its message, the line's text as `raw_record` (cut at
 * {@link UNLOADABLE_RECORD_CHARS}, which the message then says), and what can be read of the event
 * (source, event name, ids, `received_at`), so the reconciliation counts it where the collector did.
 * `received_at` is `loadedAt` (`YYYY-MM-DD HH:MM:SS.mmm`) when the line has no usable one. Whatever the
 * line holds, the row is storable: strings are made well-formed and nothing is parsed as JSON by the
 * warehouse but the row itself.
 */
export const unloadableRow = (text: string, row: number, problem: string, loadedAt: string): Obj => {
  const parsed = parseObject(text);
  const obj: Obj = typeof parsed === 'string' ? {} : parsed;
  const known = Object.fromEntries(
    KNOWN_FIELDS.map((field) => {
      const value = obj[field];
      return [field, typeof value === 'string' ? wellFormed(value) : null];
    }),
  );
  const received = typeof obj.received_at === 'string' ? { received_at: obj.received_at } : {};
  const receivedAt =
    normaliseTimestamp(received, 'received_at', true) === null ? received.received_at : loadedAt;
  const cut = text.length > UNLOADABLE_RECORD_CHARS;
  return {
    reason: {
      code: UNLOADABLE_LINE,
      message: wellFormed(
        cut
          ? `${problem} (raw_record keeps the first ${UNLOADABLE_RECORD_CHARS} of its ${text.length} characters)`
          : problem,
      ),
    },
    ...known,
    received_at: receivedAt,
    raw_record: wellFormed(cut ? text.slice(0, UNLOADABLE_RECORD_CHARS) : text),
    _row: row,
  };
};
