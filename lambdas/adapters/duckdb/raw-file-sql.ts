import type { RawFileLoad, RawTable } from '#core/warehouse/raw-file-loading.ts';
import { MAX_UTC_YEAR, MIN_UTC_YEAR } from '#core/warehouse/raw-lines.ts';

/**
 * DuckDB's file load of raw NDJSON: one INSERT ... SELECT that reads the file with DuckDB's own reader
 * and stores exactly the rows the line path (lambdas/core/warehouse/raw-lines.ts + sql/loads/) stores.
 * DuckDB-only SQL, kept beside its adapter (Snowflake loads files through Snowpipe: sql/snowflake/pipes.sql).
 *
 * - Lines come from `read_csv` with one VARCHAR column (a delimiter JSON text cannot hold unescaped,
 *   no quoting), so blank lines are read too and `WITH ORDINALITY` numbers every line of the file, as
 *   the line path does. Ordinality relies on DuckDB preserving insertion order (its default).
 * - Each line is parsed once by `from_json` into the fields the columns need: text columns as VARCHAR
 *   (what `->>` gives), fields whose JSON type is checked as JSON. `lineage` / `payload` come from
 *   `json_extract`, which like the line path's `->` keeps a JSON null as JSON.
 * - The checks of raw-lines.ts are made in SQL in the same order; a failing line makes the statement
 *   raise `line <n>: <reason>`, so nothing of the file is inserted, and the raw loader loads the file
 *   by lines instead, routing each bad line to raw.rejected_events. So this statement may refuse more
 *   than the line path does (DuckDB's JSON reader refuses a lone surrogate, its CSV reader a stray
 *   `\r`, bytes that are not UTF-8, a line over `max_line_size`), never less: a line it accepts, the
 *   line path must accept too.
 *
 * Parameters: $1 path, $2 file name, $3 loaded_at (`YYYY-MM-DD HH:MM:SS.mmm`, UTC).
 */

/** A line that JavaScript's `trim()` empties: skipped, but counted. */
const BLANK = String.raw`[\s\x{0B}\x{A0}\x{FEFF}\x{2028}\x{2029}\p{Zs}]*`;
/** The contract's timestamp: ISO-8601 with a zone (lambdas/core/warehouse/time.ts). */
const ISO_WITH_ZONE = String.raw`\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})`;
/** The years a stored timestamp may have (raw-lines.ts), as bounds: comparing costs less than `year()`. */
const FIRST_YEAR = String(MIN_UTC_YEAR).padStart(4, '0');
const FIRST_INSTANT = `${FIRST_YEAR}-01-01 00:00:00`;
const LAST_INSTANT = `${MAX_UTC_YEAR}-12-31 23:59:59.999999`;
/** DuckDB wants seconds: `...T09:15Z` becomes `...T09:15:00Z`. */
const NO_SECONDS = String.raw`^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2})([Z+-])`;

/** Every line of the file with its number; the delimiter is U+0001, which JSON text never holds unescaped. */
const lines = (compression: RawFileLoad['compression']): string =>
  `read_csv($1, columns = {'line': 'VARCHAR'}, delim = '\x01', quote = '', escape = '', header = false,
    auto_detect = false, compression = '${compression}', max_line_size = 16777216) WITH ORDINALITY`;

/** `f.<field>` as a UTC TIMESTAMP truncated to milliseconds (as JavaScript's Date keeps it); NULL when not one. */
const utc = (field: string): string =>
  `CASE WHEN regexp_full_match(f.${field}, '${ISO_WITH_ZONE}') THEN date_trunc('millisecond',
      make_timestamp(epoch_us(TRY_CAST(regexp_replace(f.${field}, '${NO_SECONDS}', '\\1:00\\2') AS TIMESTAMPTZ)))) END`;

const nonEmptyString = (field: string): string =>
  `WHEN json_type(f.${field}) IS DISTINCT FROM 'VARCHAR' OR (f.${field} ->> '$') = ''
        THEN '${field} must be a non-empty string'`;

const timestampCheck = (field: string, required: boolean): string =>
  [
    required ? `WHEN f.${field} IS NULL THEN '${field} is required'` : '',
    `WHEN f.${field} IS NOT NULL AND ${field} IS NULL
        THEN '${field} is not an ISO-8601 timestamp with a zone: ' || f.${field}`,
    `WHEN ${field} NOT BETWEEN TIMESTAMP '${FIRST_INSTANT}' AND TIMESTAMP '${LAST_INSTANT}'
        THEN '${field} is outside the years ${FIRST_YEAR}-${MAX_UTC_YEAR} in UTC: ' || f.${field}`,
  ]
    .filter((c) => c !== '')
    .join('\n      ');

const EVENT_FIELDS = JSON.stringify({
  ...Object.fromEntries(['dedup_key', 'event_name', 'schema_version', 'source_id'].map((f) => [f, 'JSON'])),
  ...Object.fromEntries(
    [
      'event_id',
      'occurred_at',
      'sent_at',
      'received_at',
      'event_ts',
      'user_id',
      'anonymous_id',
      'workspace_id',
      'feature_id',
      'platform',
      'app_version',
      'locale',
      'intake',
      'call',
    ].map((f) => [f, 'VARCHAR']),
  ),
  feature_known: 'JSON',
  planned: 'JSON',
});

const REJECTED_FIELDS = JSON.stringify({
  reason: { code: 'JSON', message: 'VARCHAR', path: 'VARCHAR', keyword: 'VARCHAR' },
  raw_record: 'JSON',
  ...Object.fromEntries(
    [
      'source_id',
      'received_at',
      'request_id',
      'intake',
      'event_name',
      'event_id',
      'workspace_id',
      'user_id',
    ].map((f) => [f, 'VARCHAR']),
  ),
});

const EVENTS_COLUMNS = `dedup_key, event_id, event_name, schema_version, occurred_at, sent_at, received_at, event_ts,
  user_id, anonymous_id, workspace_id, feature_id, feature_known, platform, app_version, locale,
  source_id, intake, call_type, lineage, payload, planned`;

const REJECTED_COLUMNS = `reason_code, reason_message, reason_path, reason_keyword, source_id, received_at, request_id,
  intake, event_name, event_id, workspace_id, user_id, raw_record, lineage`;

/**
 * The INSERT of a file's checked lines into `table`: its `columns`, the file name ($2), the line's row
 * (or, when the line has a problem, an error naming the row) and the load time ($3).
 */
const insertLoaded = (
  table: string,
  columns: string,
): string => `INSERT INTO ${table} (${columns}, file_name, file_row, loaded_at)
SELECT ${columns}, CAST($2 AS VARCHAR),
  CASE WHEN problem IS NULL THEN file_row ELSE error('line ' || file_row || ': ' || problem) END,
  CAST($3 AS TIMESTAMP)`;

const eventsSql = (compression: RawFileLoad['compression']): string => `
${insertLoaded('raw.events', EVENTS_COLUMNS)}
FROM (
  SELECT *, CASE
      ${nonEmptyString('dedup_key')}
      ${nonEmptyString('event_name')}
      ${nonEmptyString('schema_version')}
      ${nonEmptyString('source_id')}
      ${timestampCheck('received_at', true)}
      ${timestampCheck('event_ts', true)}
      ${timestampCheck('occurred_at', false)}
      ${timestampCheck('sent_at', false)}
      WHEN f.feature_known IS NOT NULL AND json_type(f.feature_known) <> 'BOOLEAN'
        THEN 'feature_known must be a boolean'
      WHEN f.planned IS NOT NULL AND json_type(f.planned) <> 'BOOLEAN'
        THEN 'planned must be a boolean'
    END AS problem
  FROM (
    SELECT file_row, f,
      f.dedup_key ->> '$' AS dedup_key, f.event_id, f.event_name ->> '$' AS event_name,
      f.schema_version ->> '$' AS schema_version,
      ${utc('occurred_at')} AS occurred_at,
      ${utc('sent_at')} AS sent_at,
      ${utc('received_at')} AS received_at,
      ${utc('event_ts')} AS event_ts,
      f.user_id, f.anonymous_id, f.workspace_id, f.feature_id,
      CAST(f.feature_known ->> '$' AS BOOLEAN) AS feature_known,
      f.platform, f.app_version, f.locale, f.source_id ->> '$' AS source_id, f.intake, f."call" AS call_type,
      j[1] AS lineage, j[2] AS payload,
      -- absent on lines written before tracking plans: planned
      COALESCE(CAST(f.planned ->> '$' AS BOOLEAN), TRUE) AS planned
    FROM (
      SELECT ordinality AS file_row, from_json(line, '${EVENT_FIELDS}') AS f,
        json_extract(line, ['$.lineage', '$.payload']) AS j
      FROM ${lines(compression)}
      WHERE line IS NOT NULL AND NOT regexp_full_match(line, '${BLANK}')
    )
  )
)`;

const rejectedSql = (compression: RawFileLoad['compression']): string => `
${insertLoaded('raw.rejected_events', REJECTED_COLUMNS)}
FROM (
  SELECT *, CASE
      WHEN json_type(f.reason.code) IS DISTINCT FROM 'VARCHAR' THEN 'reason.code is required'
      WHEN json_type(f.raw_record) IS DISTINCT FROM 'VARCHAR' THEN 'raw_record must be a string'
      ${timestampCheck('received_at', true)}
    END AS problem
  FROM (
    SELECT file_row, f,
      f.reason.code ->> '$' AS reason_code, f.reason.message AS reason_message, f.reason.path AS reason_path,
      f.reason.keyword AS reason_keyword, f.source_id,
      ${utc('received_at')} AS received_at,
      f.request_id, f.intake, f.event_name, f.event_id, f.workspace_id, f.user_id,
      f.raw_record ->> '$' AS raw_record, lineage
    FROM (
      SELECT ordinality AS file_row, from_json(line, '${REJECTED_FIELDS}') AS f,
        json_extract(line, '$.lineage') AS lineage
      FROM ${lines(compression)}
      WHERE line IS NOT NULL AND NOT regexp_full_match(line, '${BLANK}')
    )
  )
)`;

const cache = new Map<string, string>();

/** The INSERT that loads one raw file of `table`, stored as `compression`. */
export const rawFileSql = (table: RawTable, compression: RawFileLoad['compression']): string => {
  const key = `${table}:${compression}`;
  let sql = cache.get(key);
  if (!sql) {
    sql = table === 'raw.events' ? eventsSql(compression) : rejectedSql(compression);
    cache.set(key, sql);
  }
  return sql;
};
