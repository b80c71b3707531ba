import { parseIsoTimestamp, toSqlTimestamp } from './time.ts';

/**
 * Checks one NDJSON line of an `events/` or `rejected/` file and prepares it for the raw insert
 * statements: timestamps normalised to UTC, the line number added as `_row`. Returns a reason string
 * when the line cannot be loaded. DuckDB's file load (lambdas/adapters/duckdb/raw-file-sql.ts) makes
 * the same checks in SQL; change both together (test/core/warehouse/raw-loader-paths.test.ts compares them).
 */
export type PreparedLine =
  | { readonly ok: true; readonly record: Record<string, unknown> }
  | { readonly ok: false; readonly reason: string };

type Obj = Record<string, unknown>;

const parseObject = (text: string): Obj | string => {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return 'not valid JSON';
  }
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Obj)
    : 'not a JSON object';
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

/** Normalises `field` in place when present; a reason when it is present but not a zoned ISO-8601 timestamp. */
const normaliseTimestamp = (obj: Obj, field: string, required: boolean): string | null => {
  const value = obj[field];
  if (value === null || value === undefined) return required ? `${field} is required` : null;
  const date = typeof value === 'string' ? parseTimestamp(value) : null;
  if (!date) return `${field} is not an ISO-8601 timestamp with a zone: ${JSON.stringify(value)}`;
  obj[field] = toSqlTimestamp(date);
  return null;
};

const firstProblem = (checks: (string | null)[]): string | null => checks.find((c) => c !== null) ?? null;

/** A ValidatedLine (CanonicalEvent + payload) ready for `loads/raw_events`. */
export const prepareEventLine = (text: string, row: number): PreparedLine => {
  const obj = parseObject(text);
  if (typeof obj === 'string') return { ok: false, reason: obj };
  const problem = firstProblem([
    requireString(obj, 'dedup_key'),
    requireString(obj, 'event_name'),
    requireString(obj, 'schema_version'),
    requireString(obj, 'source_id'),
    normaliseTimestamp(obj, 'received_at', true),
    normaliseTimestamp(obj, 'event_ts', true),
    normaliseTimestamp(obj, 'occurred_at', false),
    normaliseTimestamp(obj, 'sent_at', false),
    obj.feature_known === undefined || obj.feature_known === null || typeof obj.feature_known === 'boolean'
      ? null
      : 'feature_known must be a boolean',
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
    typeof reason === 'object' && reason !== null && typeof reason.code === 'string'
      ? null
      : 'reason.code is required',
    typeof obj.raw_record === 'string' ? null : 'raw_record must be a string',
    normaliseTimestamp(obj, 'received_at', true),
  ]);
  if (problem) return { ok: false, reason: problem };
  obj._row = row;
  return { ok: true, record: obj };
};
