import type { Dialect } from './ports.ts';

/**
 * The whole dialect surface: every place where Snowflake and DuckDB SQL differ goes through one of
 * these helpers, called from `sql/**` as `{{ name }}` or `{{ name(arg, ...) }}`. Everything else in
 * `sql/` is SQL both engines accept as written (MERGE, QUALIFY, GROUPING SETS, DELETE ... USING,
 * UPDATE ... FROM, INSERT ... SELECT).
 *
 * Known differences the SQL avoids rather than wraps (keep it that way):
 * - MERGE with duplicate source keys: Snowflake raises (nondeterministic merge), DuckDB applies one;
 *   every MERGE source is deduplicated (QUALIFY or GROUP BY) on the join key first.
 * - NULL ordering: Snowflake sorts NULLs first on DESC, DuckDB last; ordering columns are NOT NULL
 *   or the ORDER BY says NULLS FIRST/LAST.
 * - GREATEST/LEAST: Snowflake returns NULL when any argument is NULL, DuckDB ignores NULLs; they are
 *   only applied to NOT NULL columns.
 * - JSON values: DuckDB `->` returns JSON (strings keep their quotes); text comes from `json_str` (`->>`).
 * - Expressions in VALUES: Snowflake rejects PARSE_JSON(...) in a VALUES list; inserts use INSERT ... SELECT.
 * - DDL inside a transaction commits it on Snowflake; run-time scratch tables (schema `work`) are created
 *   once with the DDL, never during a run.
 * - Timestamps are UTC wall-clock without zone (TIMESTAMP_NTZ / TIMESTAMP); callers normalise offsets
 *   before binding (DuckDB ignores a `+02:00` suffix when casting to TIMESTAMP).
 *
 * Arguments: `'...'` strings (a SQL expression, a JSON path or a column list, by helper), integers, or a
 * nested helper call such as `param('as_of')`. Values of a run never appear here: they are `?` parameters.
 */

/** What a helper argument must be; checked when the SQL is rendered, so a typo fails the golden test. */
export type HelperArgKind = 'expr' | 'path' | 'columns' | 'name' | 'fields' | 'params';

export interface DialectHelper {
  readonly args: readonly HelperArgKind[];
  readonly render: (dialect: Dialect, args: readonly string[]) => string;
}

/** Prefix and suffix of the marker `param()` leaves in rendered SQL until parameters are numbered. */
export const PARAM_MARKER = '\u0000';

/** Opens the name in a param marker when the value is JSON text (a `json_parse` / `json_rows` argument). */
export const JSON_PARAM_FLAG = '\u0001';

/** `x` with its param markers flagged as JSON text, so binding can make the text storable (well-formed.ts). */
const asJsonParams = (x = ''): string =>
  x
    .replaceAll(PARAM_MARKER + JSON_PARAM_FLAG, PARAM_MARKER)
    .replace(
      new RegExp(`${PARAM_MARKER}([^${PARAM_MARKER}]*)${PARAM_MARKER}`, 'g'),
      (_m, name: string) => `${PARAM_MARKER}${JSON_PARAM_FLAG}${name}${PARAM_MARKER}`,
    );

const isPlainColumn = (expr: string): boolean =>
  /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$/.test(expr);

/** Snowflake `col:a.b` for a column, `GET_PATH(expr, 'a.b')` for any other expression. */
const snowflakePath = (expr: string, path: string): string =>
  isPlainColumn(expr) ? `${expr}:${path}` : `GET_PATH(${expr}, '${path}')`;

const pick = (dialect: Dialect, snowflake: string, duckdb: string): string =>
  dialect === 'snowflake' ? snowflake : duckdb;

export const DIALECT_HELPERS = {
  /** Column type of semi-structured JSON: `VARIANT` / `JSON`. */
  type_json: { args: [], render: (d) => pick(d, 'VARIANT', 'JSON') },

  /** Column type of a UTC timestamp without zone: `TIMESTAMP_NTZ` / `TIMESTAMP`. */
  type_ts: { args: [], render: (d) => pick(d, 'TIMESTAMP_NTZ', 'TIMESTAMP') },

  /** Parses JSON text into the JSON type: `PARSE_JSON(x)` / `CAST(x AS JSON)`. */
  json_parse: {
    args: ['expr'],
    render: (d, [arg]) => {
      const x = asJsonParams(arg);
      return pick(d, `PARSE_JSON(${x})`, `CAST(${x} AS JSON)`);
    },
  },

  /** A JSON sub-value, still JSON: `x:a.b` / `(x -> '$.a.b')`. */
  json_get: {
    args: ['expr', 'path'],
    render: (d, [x = '', p = '']) => pick(d, snowflakePath(x, p), `(${x} -> '$.${p}')`),
  },

  /** A JSON scalar as text, unquoted; JSON null gives SQL NULL: `x:a.b::VARCHAR` / `(x ->> '$.a.b')`. */
  json_str: {
    args: ['expr', 'path'],
    render: (d, [x = '', p = '']) => pick(d, `${snowflakePath(x, p)}::VARCHAR`, `(${x} ->> '$.${p}')`),
  },

  /**
   * Rows from a JSON array (one row per element, the element in column `value`):
   * `TABLE(FLATTEN(INPUT => PARSE_JSON(x)))` / `(SELECT unnest(CAST(x AS JSON[])) AS value)`.
   */
  json_rows: {
    args: ['expr'],
    render: (d, [arg]) => {
      const x = asJsonParams(arg);
      return pick(
        d,
        `TABLE(FLATTEN(INPUT => PARSE_JSON(${x})))`,
        `(SELECT unnest(CAST(${x} AS JSON[])) AS value)`,
      );
    },
  },

  /**
   * The lines a load could not store in `table`, one row each: `error_at` (UTC), `file_name` (the object
   * key, as METADATA$FILENAME gives it), `file_row` (1-based line), `message`, `line` (the line's text),
   * `doc` (the line parsed as JSON; NULL when it is not JSON) and `received_at` (the line's own, else
   * `error_at`). Snowflake: the table's error table (ERROR_LOGGING = TRUE, sql/snowflake/pipes.sql),
   * errors of Snowpipe only; where Snowflake cannot tell the line's place, `file_row` is 0. DuckDB: no
   * row, ever (the local loader stores such lines as it loads, raw-loader.ts), so the statements built on
   * it run on both warehouses and insert nothing locally.
   */
  load_errors: {
    args: ['path'],
    render: (d, [table]) =>
      d === 'snowflake'
        ? `(SELECT err_line.*, TRY_PARSE_JSON(err_line.line) AS doc,
    COALESCE(CONVERT_TIMEZONE('UTC', TRY_TO_TIMESTAMP_TZ(
      GET_PATH(TRY_PARSE_JSON(err_line.line), 'received_at')::VARCHAR))::TIMESTAMP_NTZ, err_line.error_at) AS received_at
  FROM (
    SELECT
      CONVERT_TIMEZONE('UTC', err.timestamp)::TIMESTAMP_NTZ AS error_at,
      COALESCE(REGEXP_REPLACE(COALESCE(err.error_metadata:details:file_name, err.error_metadata:details:file)::VARCHAR,
        '^[a-z0-9]+://[^/]+/', ''), '(unknown file, query ' || err.query_id || ')') AS file_name,
      COALESCE(COALESCE(err.error_metadata:details:line_number, err.error_metadata:details:line)::INTEGER, 0) AS file_row,
      COALESCE(err.error_metadata:error_message::VARCHAR, 'Snowflake error ' || err.error_code) AS message,
      COALESCE(AS_VARCHAR(err.error_data:"$1"), TO_JSON(err.error_data:"$1"), TO_JSON(err.error_data)) AS line
    FROM ERROR_TABLE(${table}) err
    WHERE err.error_metadata:service::VARCHAR = 'snowpipe'
  ) err_line)`
        : `(SELECT CAST(NULL AS TIMESTAMP) AS error_at, CAST(NULL AS VARCHAR) AS file_name,
    CAST(NULL AS INTEGER) AS file_row, CAST(NULL AS VARCHAR) AS message, CAST(NULL AS VARCHAR) AS line,
    CAST(NULL AS JSON) AS doc, CAST(NULL AS TIMESTAMP) AS received_at
  WHERE FALSE)`,
  },

  /** A DATE plus n days (n may be negative or a parameter), still a DATE. */
  date_add_days: {
    args: ['expr', 'expr'],
    render: (d, [x, n]) =>
      pick(d, `DATEADD(DAY, ${n}, ${x})`, `(CAST(${x} AS DATE) + CAST(${n} AS INTEGER))`),
  },

  /** A timestamp plus n hours (n may be negative or a parameter). */
  ts_add_hours: {
    args: ['expr', 'expr'],
    render: (d, [x, n]) => pick(d, `DATEADD(HOUR, ${n}, ${x})`, `(${x} + to_hours(CAST(${n} AS BIGINT)))`),
  },

  /** A timestamp plus n minutes (n may be negative or a parameter). */
  ts_add_minutes: {
    args: ['expr', 'expr'],
    render: (d, [x, n]) =>
      pick(d, `DATEADD(MINUTE, ${n}, ${x})`, `(${x} + to_minutes(CAST(${n} AS BIGINT)))`),
  },

  /**
   * Monday of the ISO week of a DATE. Snowflake's DATE_TRUNC('WEEK') follows the WEEK_START session
   * parameter; DAYOFWEEKISO does not, so the rendering is the same in every session.
   */
  iso_week_start: {
    args: ['expr'],
    render: (d, [x]) =>
      pick(
        d,
        `DATEADD(DAY, 1 - DAYOFWEEKISO(${x}), ${x})`,
        `(CAST(${x} AS DATE) - CAST(isodow(${x}) - 1 AS INTEGER))`,
      ),
  },

  /**
   * After a view's name in `CREATE OR REPLACE VIEW`: Snowflake drops a replaced view's grants (the
   * analyst role's SELECT) unless told to copy them; DuckDB has no grants.
   */
  copy_grants: { args: [], render: (d) => pick(d, ' COPY GRANTS', '') },

  /**
   * Before `SCHEMA` or `TABLE` of scratch objects (schema `work`): a Snowflake transient object has no
   * Fail-safe (7 days of storage for every row a run writes and empties); DuckDB has none to skip.
   */
  transient: { args: [], render: (d) => pick(d, 'TRANSIENT ', '') },

  /** After a scratch object's name: no Time Travel either (Snowflake), since no one restores scratch rows. */
  no_time_travel: { args: [], render: (d) => pick(d, ' DATA_RETENTION_TIME_IN_DAYS = 0', '') },

  /** Table clustering key, Snowflake only (DuckDB relies on insertion order and zone maps). */
  cluster_by: {
    args: ['columns'],
    render: (d, [cols]) => pick(d, ` CLUSTER BY (${cols})`, ''),
  },

  /** A named run-time value, bound as a positional `?` parameter (never concatenated into the SQL). */
  param: {
    args: ['name'],
    render: (_d, [name]) => `${PARAM_MARKER}${name}${PARAM_MARKER}`,
  },
} as const satisfies Record<string, DialectHelper>;

export type DialectHelperName = keyof typeof DIALECT_HELPERS;
