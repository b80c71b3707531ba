import { createDuckDbWarehouse } from '#adapters/duckdb/duckdb-warehouse.ts';
import { DIALECT_HELPERS } from '#core/warehouse/dialect.ts';
import type { Warehouse } from '#core/warehouse/ports.ts';
import { bindParams, type SqlValues } from '#core/warehouse/sql-exec.ts';
import { SQL_FRAGMENTS } from '#core/warehouse/sql-fragments.ts';
import { renderSqlFile } from '#core/warehouse/template.ts';

/**
 * Every helper of dialect.ts and every fragment of sql-fragments.ts: its Snowflake rendering (reviewed
 * here, as the goldens review whole files) and what its DuckDB rendering computes, run in DuckDB.
 */
interface HelperCase {
  /** The template, inside `SELECT ... AS v`. */
  readonly template: string;
  readonly snowflake: string;
  /** Named values for its parameters. */
  readonly values?: SqlValues;
  /** A FROM clause giving the columns it reads. */
  readonly from?: string;
  /** What DuckDB computes (as the adapter returns it); omit for types. */
  readonly duckdb?: unknown;
}

const T = (ts: string) => `CAST('${ts}' AS TIMESTAMP)`;
/** The same inside a helper's quoted argument (quotes doubled). */
const arg = (sql: string) => sql.replace(/'/g, "''");
/** The filter values of a fact counting the `editor` family, as a run reads them from the closure. */
const EDITOR_FAMILY = {
  event_names: null,
  feature_family: 'editor',
  family_features: '[{"id":"editor"},{"id":"editor.comments"}]',
} as const;

const CASES: Record<string, readonly HelperCase[]> = {
  type_json: [
    { template: "CAST('[1]' AS {{ type_json }})", snowflake: "CAST('[1]' AS VARIANT)", duckdb: [1] },
  ],
  type_ts: [
    {
      template: "CAST('2026-03-12 10:00:00' AS {{ type_ts }})",
      snowflake: "CAST('2026-03-12 10:00:00' AS TIMESTAMP_NTZ)",
      duckdb: '2026-03-12T10:00:00.000Z',
    },
  ],
  json_parse: [
    {
      template: "{{ json_parse(param('doc')) }}",
      snowflake: 'PARSE_JSON(?)',
      values: { doc: '{"a":[1,2]}' },
      duckdb: { a: [1, 2] },
    },
  ],
  json_get: [
    {
      template: "{{ json_get('j.doc', 'a.b') }}",
      snowflake: 'j.doc:a.b',
      from: `(SELECT CAST('{"a":{"b":{"c":1}}}' AS JSON) AS doc) j`,
      duckdb: { c: 1 },
    },
  ],
  json_str: [
    {
      template: "{{ json_str('j.doc', 'a') }}",
      snowflake: 'j.doc:a::VARCHAR',
      from: `(SELECT CAST('{"a":"x y"}' AS JSON) AS doc) j`,
      duckdb: 'x y',
    },
  ],
  json_columns: [
    {
      // one field a line, in order; v is the last one
      template: "{{ json_columns('j.doc', 'a.b, at ts, ok boolean, n integer, x double, keys json, s') }}",
      snowflake: [
        'j.doc:a.b::VARCHAR,',
        '  CAST(j.doc:at::VARCHAR AS TIMESTAMP_NTZ),',
        '  CAST(j.doc:ok::VARCHAR AS BOOLEAN),',
        '  CAST(j.doc:n::VARCHAR AS INTEGER),',
        '  CAST(j.doc:x::VARCHAR AS DOUBLE),',
        '  j.doc:keys,',
        '  j.doc:s::VARCHAR',
      ].join('\n'),
      from: `(SELECT CAST('{"s":"x y"}' AS JSON) AS doc) j`,
      duckdb: 'x y',
    },
    ...(
      [
        ['at ts', '"2026-03-12 10:00:00.250"', '2026-03-12T10:00:00.250Z'],
        ['at boolean', 'false', false],
        ['at integer', '"42"', 42],
        ['at double', '1.5', 1.5],
        ['at json', '{"k":[1]}', { k: [1] }],
        ['at', 'null', null],
      ] as const
    ).map(([field, json, value]) => ({
      template: `{{ json_columns('j.doc', '${field}') }}`,
      snowflake: {
        'at ts': 'CAST(j.doc:at::VARCHAR AS TIMESTAMP_NTZ)',
        'at boolean': 'CAST(j.doc:at::VARCHAR AS BOOLEAN)',
        'at integer': 'CAST(j.doc:at::VARCHAR AS INTEGER)',
        'at double': 'CAST(j.doc:at::VARCHAR AS DOUBLE)',
        'at json': 'j.doc:at',
        at: 'j.doc:at::VARCHAR',
      }[field],
      from: `(SELECT CAST('{"at":${json}}' AS JSON) AS doc) j`,
      duckdb: value,
    })),
  ],
  loaded_in_window: (
    [
      // open at its start, closed at its end: consecutive windows read a row once
      ['2026-03-12 10:00:00', false],
      ['2026-03-12 10:00:00.001', true],
      ['2026-03-12 11:00:00', true],
      ['2026-03-12 11:00:00.001', false],
    ] as const
  ).map(([loadedAt, inside]) => ({
    template: "{{ loaded_in_window('r') }}",
    snowflake: 'r.loaded_at > CAST(? AS TIMESTAMP_NTZ)\n  AND r.loaded_at <= CAST(? AS TIMESTAMP_NTZ)',
    values: { loaded_after: '2026-03-12 10:00:00', loaded_until: '2026-03-12 11:00:00' },
    from: `(SELECT ${T(loadedAt)} AS loaded_at) r`,
    duckdb: inside,
  })),
  recomputed_users: [
    {
      // the users of replaced copies and forced keys, once each; not the merged inserts, not rows without a user
      template: "(SELECT STRING_AGG(k.user_key, ',' ORDER BY k.user_key) FROM ({{ recomputed_users }}) AS k)",
      snowflake: [
        "(SELECT STRING_AGG(k.user_key, ',' ORDER BY k.user_key) FROM (SELECT DISTINCT d.workspace_key, d.user_key FROM work.fct_delta d",
        "  WHERE d.change <> 'insert' AND d.user_key IS NOT NULL) AS k)",
      ].join('\n'),
      duckdb: 'u-forced,u-replaced',
    },
  ],
  recomputed_user: (
    [
      ['ws-1', 'u-replaced', true],
      ['ws-1', 'u-forced', true],
      ['ws-1', 'u-inserted', false],
      // the same user in another workspace is another user
      ['ws-2', 'u-replaced', false],
    ] as const
  ).map(([workspace, user, recomputed]) => ({
    template: "{{ recomputed_user('u.workspace_id', 'u.user_key') }}",
    snowflake: [
      'EXISTS (',
      '    SELECT 1 FROM work.fct_delta x',
      "    WHERE x.change <> 'insert' AND x.workspace_key = u.workspace_id AND x.user_key = u.user_key",
      '  )',
    ].join('\n'),
    from: `(SELECT '${workspace}' AS workspace_id, '${user}' AS user_key) u`,
    duckdb: recomputed,
  })),
  param_columns: [
    {
      // one parameter a line, in order, each as its type; v is the last one
      template:
        "{{ param_columns('id, at ts, day date, ok boolean, n integer, total bigint, x double, doc json, note') }}",
      snowflake: [
        'CAST(? AS VARCHAR),',
        '  CAST(? AS TIMESTAMP_NTZ),',
        '  CAST(? AS DATE),',
        '  CAST(? AS BOOLEAN),',
        '  CAST(? AS INTEGER),',
        '  CAST(? AS BIGINT),',
        '  CAST(? AS DOUBLE),',
        '  PARSE_JSON(?),',
        '  CAST(? AS VARCHAR)',
      ].join('\n'),
      values: {
        id: 'a',
        at: null,
        day: null,
        ok: null,
        n: null,
        total: null,
        x: null,
        doc: null,
        note: 'last',
      },
      duckdb: 'last',
    },
    ...(
      [
        ['total bigint', '12', 12],
        ['day date', '2026-03-12', '2026-03-12'],
        ['doc json', '{"k":[1]}', { k: [1] }],
      ] as const
    ).map(([field, value, computed]) => ({
      template: `{{ param_columns('${field}') }}`,
      snowflake: {
        'total bigint': 'CAST(? AS BIGINT)',
        'day date': 'CAST(? AS DATE)',
        'doc json': 'PARSE_JSON(?)',
      }[field],
      values: { [field.split(' ')[0]!]: value },
      duckdb: computed,
    })),
  ],
  param_set: [
    {
      // the assignments of an UPDATE (run by the spec below); in a SELECT they read as comparisons, v the last
      template: "{{ param_set('status, done_at ts') }}",
      snowflake: 'status = CAST(? AS VARCHAR),\n  done_at = CAST(? AS TIMESTAMP_NTZ)',
      values: { status: 'done', done_at: '2026-03-12 10:00:00' },
      from: `(SELECT 'done' AS status, ${T('2026-03-12 10:00:00')} AS done_at) t`,
      duckdb: true,
    },
  ],
  json_rows: [
    {
      template: "(SELECT COUNT(*) FROM {{ json_rows(param('rows')) }} AS r)",
      snowflake: '(SELECT COUNT(*) FROM TABLE(FLATTEN(INPUT => PARSE_JSON(?))) AS r)',
      values: { rows: '[{"id":"a"},{"id":"b"},{"id":"c"}]' },
      duckdb: 3,
    },
  ],
  load_errors: [
    {
      // the Snowflake error table of Snowpipe's loads; in DuckDB no row, ever (the local loader keeps them)
      template: "(SELECT COUNT(*) FROM {{ load_errors('raw.events') }} AS e)",
      snowflake: [
        '(SELECT COUNT(*) FROM (SELECT err_line.*, TRY_PARSE_JSON(err_line.line) AS doc,',
        "    COALESCE(CONVERT_TIMEZONE('UTC', TRY_TO_TIMESTAMP_TZ(",
        "      GET_PATH(TRY_PARSE_JSON(err_line.line), 'received_at')::VARCHAR))::TIMESTAMP_NTZ, err_line.error_at) AS received_at",
        '  FROM (',
        '    SELECT',
        "      CONVERT_TIMEZONE('UTC', err.timestamp)::TIMESTAMP_NTZ AS error_at,",
        '      COALESCE(REGEXP_REPLACE(COALESCE(err.error_metadata:details:file_name, err.error_metadata:details:file)::VARCHAR,',
        "        '^[a-z0-9]+://[^/]+/', ''), '(unknown file, query ' || err.query_id || ')') AS file_name,",
        '      COALESCE(COALESCE(err.error_metadata:details:line_number, err.error_metadata:details:line)::INTEGER, 0) AS file_row,',
        "      COALESCE(err.error_metadata:error_message::VARCHAR, 'Snowflake error ' || err.error_code) AS message,",
        '      COALESCE(AS_VARCHAR(err.error_data:"$1"), TO_JSON(err.error_data:"$1"), TO_JSON(err.error_data)) AS line',
        '    FROM ERROR_TABLE(raw.events) err',
        "    WHERE err.error_metadata:service::VARCHAR = 'snowpipe'",
        '  ) err_line) AS e)',
      ].join('\n'),
      duckdb: 0,
    },
  ],
  date_add_days: [
    {
      template: "{{ date_add_days('DATE ''2026-03-01''', -2) }}",
      snowflake: "DATEADD(DAY, -2, DATE '2026-03-01')",
      duckdb: '2026-02-27',
    },
  ],
  ts_add_hours: [
    {
      template: `{{ ts_add_hours('${arg(T('2026-03-12 22:00:00'))}', 3) }}`,
      snowflake: `DATEADD(HOUR, 3, ${T('2026-03-12 22:00:00')})`,
      duckdb: '2026-03-13T01:00:00.000Z',
    },
  ],
  ts_add_minutes: [
    {
      template: `{{ ts_add_minutes('${arg(T('2026-03-12 23:58:00'))}', param('m')) }}`,
      snowflake: `DATEADD(MINUTE, ?, ${T('2026-03-12 23:58:00')})`,
      values: { m: 5 },
      duckdb: '2026-03-13T00:03:00.000Z',
    },
  ],
  iso_week_start: [
    {
      template: "{{ iso_week_start('DATE ''2026-03-15''') }}",
      snowflake: "DATEADD(DAY, 1 - DAYOFWEEKISO(DATE '2026-03-15'), DATE '2026-03-15')",
      duckdb: '2026-03-09',
    },
  ],
  cluster_by: [
    {
      template: "1{{ cluster_by('event_date, workspace_key') }}",
      snowflake: '1 CLUSTER BY (event_date, workspace_key)',
      duckdb: 1,
    },
  ],
  copy_grants: [
    {
      // a replaced view keeps its grants on Snowflake; DuckDB has no grants
      template: '1{{ copy_grants() }}',
      snowflake: '1 COPY GRANTS',
      duckdb: 1,
    },
  ],
  transient: [
    {
      // scratch schema: no Fail-safe on Snowflake; DuckDB has none to skip
      template: '1{{ transient }}',
      snowflake: '1TRANSIENT ',
      duckdb: 1,
    },
  ],
  no_time_travel: [
    {
      template: '1{{ no_time_travel }}',
      snowflake: '1 DATA_RETENTION_TIME_IN_DAYS = 0',
      duckdb: 1,
    },
  ],
  param: [{ template: "{{ param('n') }}", snowflake: '?', values: { n: 42 }, duckdb: 42 }],
  period_start: [
    ...(
      [
        ['day', '2026-03-12'],
        ['week', '2026-03-09'],
        ['month', '2026-03-01'],
      ] as const
    ).map(([grain, start]) => ({
      template: "{{ period_start(param('grain'), 'DATE ''2026-03-12''') }}",
      snowflake:
        "CASE CAST(? AS VARCHAR) WHEN 'day' THEN CAST(DATE '2026-03-12' AS DATE) WHEN 'week' THEN " +
        "DATEADD(DAY, 1 - DAYOFWEEKISO(DATE '2026-03-12'), DATE '2026-03-12') ELSE CAST(DATE_TRUNC('MONTH', DATE '2026-03-12') AS DATE) END",
      values: { grain },
      duckdb: start,
    })),
  ],
  period_index: [
    ...(
      [
        // the numbers grain.ts periodIndex gives: days since 1970-01-01, ISO weeks since 1970-01-05, year * 12 + month
        ['day', '2026-03-09', 20521],
        ['week', '2026-03-09', 2931],
        ['month', '2026-03-01', 2026 * 12 + 3],
      ] as const
    ).map(([grain, start, index]) => ({
      template: `{{ period_index(param('grain'), 'DATE ''${start}''') }}`,
      snowflake:
        `CASE CAST(? AS VARCHAR) WHEN 'day' THEN DATE '${start}' - DATE '1970-01-01' WHEN 'week' THEN ` +
        `CAST((DATE '${start}' - DATE '1970-01-05') / 7 AS INTEGER) ELSE YEAR(DATE '${start}') * 12 + MONTH(DATE '${start}') END`,
      values: { grain },
      duckdb: index,
    })),
  ],
  fact_filter: [
    ...(
      [
        // no filter: every event counts
        [
          { event_names: null, feature_family: null, family_features: null, feature_required: false },
          'feature_used',
          null,
          true,
        ],
        [
          {
            event_names: '[{"name":"page_viewed"}]',
            feature_family: null,
            family_features: null,
            feature_required: false,
          },
          'feature_used',
          null,
          false,
        ],
        [
          { event_names: null, feature_family: null, family_features: null, feature_required: true },
          'page_viewed',
          null,
          false,
        ],
        // a family: the features the run read for it from the closure
        [{ ...EDITOR_FAMILY, feature_required: false }, 'feature_used', 'editor.comments', true],
        [{ ...EDITOR_FAMILY, feature_required: false }, 'feature_used', 'sharing.link', false],
        // a family with no feature in the closure (not in the catalog yet): nothing counts
        [
          { event_names: null, feature_family: 'beta', family_features: '[]', feature_required: false },
          'feature_used',
          'beta.x',
          false,
        ],
      ] as const
    ).map(([values, event, feature, counts]) => ({
      template: "{{ fact_filter('e') }}",
      snowflake: [
        '(CAST(? AS VARCHAR) IS NULL OR e.event_name IN (',
        '    SELECT n.value:name::VARCHAR FROM TABLE(FLATTEN(INPUT => PARSE_JSON(?))) AS n))',
        '  AND (CAST(? AS VARCHAR) IS NULL OR e.feature_id IN (',
        '    SELECT ff.value:id::VARCHAR FROM TABLE(FLATTEN(INPUT => PARSE_JSON(?))) AS ff))',
        '  AND (NOT CAST(? AS BOOLEAN) OR e.feature_id IS NOT NULL)',
      ].join('\n'),
      values,
      from: `(SELECT '${event}' AS event_name, ${feature === null ? 'CAST(NULL AS VARCHAR)' : `'${feature}'`} AS feature_id) e`,
      duckdb: counts,
    })),
  ],
  check_run_summary: [
    {
      template: "{{ check_run_summary('q') }}",
      snowflake: [
        'q.run_id,',
        '  MIN(q.checked_at),',
        '  q.check_name,',
        '  MAX(q.severity),',
        "  CASE MAX(CASE q.status WHEN 'fail' THEN 3 WHEN 'error' THEN 2 WHEN 'skipped' THEN 1 ELSE 0 END)",
        "    WHEN 3 THEN 'fail' WHEN 2 THEN 'error' WHEN 1 THEN 'skipped' ELSE 'pass' END,",
        '  COUNT(*),',
        "  COUNT(CASE WHEN q.status = 'fail' THEN 1 END),",
        "  MAX(CASE WHEN q.status IN ('pass', 'fail') THEN q.observed END),",
        "  SUM(CASE WHEN q.status IN ('pass', 'fail') THEN ABS(q.observed) END)",
      ].join('\n'),
      // v is the last column: observed_abs_total over the judged buckets (the skipped one's 100 is not judged)
      from:
        "(SELECT 'r1' AS run_id, TIMESTAMP '2026-03-12 10:00:00' AS checked_at, 'c' AS check_name, 'error' AS severity, *" +
        " FROM (VALUES ('fail', 3.0), ('pass', -5.0), ('skipped', 100.0)) s(status, observed)) q GROUP BY q.run_id, q.check_name",
      duckdb: 8,
    },
  ],
  spine_periods: [
    {
      template: '(SELECT MAX(s.period_index) FROM ({{ spine_periods }}) s)',
      snowflake: [
        '(SELECT MAX(s.period_index) FROM (SELECT',
        '    CAST(p.value:period_start::VARCHAR AS DATE) AS period_start,',
        '    CAST(p.value:period_index::VARCHAR AS INTEGER) AS period_index',
        '  FROM TABLE(FLATTEN(INPUT => PARSE_JSON(?))) AS p) s)',
      ].join('\n'),
      values: {
        periods:
          '[{"period_start":"2026-03-02","period_index":2930},{"period_start":"2026-03-09","period_index":2931}]',
      },
      duckdb: 2931,
    },
  ],
  state_counts: [
    {
      template: "{{ state_counts('a', 'a.sign') }}",
      snowflake: [
        "SUM(CASE WHEN a.state = 'New' THEN a.sign ELSE 0 END),",
        "  SUM(CASE WHEN a.state = 'Retained' THEN a.sign ELSE 0 END),",
        "  SUM(CASE WHEN a.state = 'Reactivated' THEN a.sign ELSE 0 END),",
        '  SUM(CASE WHEN a.is_churned THEN a.sign ELSE 0 END),',
        "  SUM(CASE WHEN a.transition = 'New -> Retained' THEN a.sign ELSE 0 END),",
        "  SUM(CASE WHEN a.transition = 'Retained -> Retained' THEN a.sign ELSE 0 END),",
        "  SUM(CASE WHEN a.transition = 'Reactivated -> Retained' THEN a.sign ELSE 0 END),",
        "  SUM(CASE WHEN a.transition = 'New -> Inactive' THEN a.sign ELSE 0 END),",
        "  SUM(CASE WHEN a.transition = 'Retained -> Inactive' THEN a.sign ELSE 0 END),",
        "  SUM(CASE WHEN a.transition = 'Reactivated -> Inactive' THEN a.sign ELSE 0 END)",
      ].join('\n'),
      // v is the last column, reactivated_to_inactive: two such rows in, one replaced (-1); the others not counted
      from:
        "(SELECT * FROM (VALUES ('Inactive', 'Reactivated -> Inactive', TRUE, 1), ('Inactive', 'Reactivated -> Inactive', TRUE, 1)," +
        " ('Inactive', 'Reactivated -> Inactive', TRUE, -1), ('Inactive', 'New -> Inactive', TRUE, 1), ('New', 'None -> New', FALSE, 1))" +
        ' s(state, transition, is_churned, sign)) a',
      duckdb: 1,
    },
  ],
  summed_counts: [
    {
      template: "{{ summed_counts('c') }}",
      snowflake: [
        'SUM(c.new_users),',
        '  SUM(c.retained_users),',
        '  SUM(c.reactivated_users),',
        '  SUM(c.churned_users),',
        '  SUM(c.new_to_retained),',
        '  SUM(c.retained_to_retained),',
        '  SUM(c.reactivated_to_retained),',
        '  SUM(c.new_to_inactive),',
        '  SUM(c.retained_to_inactive),',
        '  SUM(c.reactivated_to_inactive)',
      ].join('\n'),
      // v is the last column: a period's stored count and a run's delta, summed
      from:
        '(SELECT * FROM (VALUES (1, 0, 0, 0, 0, 0, 0, 0, 0, 3), (0, 0, 0, 0, 0, 0, 0, 0, 0, -2))' +
        ' s(new_users, retained_users, reactivated_users, churned_users, new_to_retained, retained_to_retained,' +
        ' reactivated_to_retained, new_to_inactive, retained_to_inactive, reactivated_to_inactive)) c',
      duckdb: 1,
    },
  ],
  first_last_bucket: (
    [
      // from daily_from on: a day row; before: a month row dated the month's last day
      ['2026-03-10', 'day'],
      ['2026-02-10', 'month'],
    ] as const
  ).map(([day, grain]) => ({
    template: "{{ first_last_bucket('f') }}",
    snowflake: [
      'CASE WHEN f.event_date >= CAST(? AS DATE) THEN f.event_date ELSE LAST_DAY(f.event_date) END,',
      '  CASE',
      '    WHEN f.event_date >= CAST(? AS DATE) THEN f.event_date',
      "    ELSE CAST(DATE_TRUNC('MONTH', f.event_date) AS DATE)",
      '  END,',
      "  CASE WHEN f.event_date >= CAST(? AS DATE) THEN 'day' ELSE 'month' END",
    ].join('\n'),
    values: { daily_from: '2026-03-01' },
    // v is the last column: the grain (the Snowflake rendering above shows the dates)
    from: `(SELECT CAST('${day}' AS DATE) AS event_date) f`,
    duckdb: grain,
  })),
  received_in_window: (
    [
      // received and loaded in the window; received before it; loaded after now
      ['2026-03-12 10:10:00', '2026-03-12 10:11:00', true],
      ['2026-03-12 09:50:00', '2026-03-12 10:11:00', false],
      ['2026-03-12 10:10:00', '2026-03-12 11:30:00', false],
    ] as const
  ).map(([receivedAt, loadedAt, kept]) => ({
    template: "{{ received_in_window('r') }}",
    snowflake: [
      'r.loaded_at > CAST(? AS TIMESTAMP_NTZ)',
      '    AND r.loaded_at <= CAST(? AS TIMESTAMP_NTZ)',
      '    AND r.received_at > CAST(? AS TIMESTAMP_NTZ)',
      '    AND r.received_at <= CAST(? AS TIMESTAMP_NTZ)',
    ].join('\n'),
    values: {
      received_from: '2026-03-12 10:00:00',
      received_until: '2026-03-12 10:58:00',
      now: '2026-03-12 11:00:00',
    },
    from: `(SELECT ${T(receivedAt)} AS received_at, ${T(loadedAt)} AS loaded_at) r`,
    duckdb: kept,
  })),
  covering_runs: [
    {
      // the committed run in the window; the failed one and the one before the window are not
      template: '(SELECT MAX(x.covered_until) FROM ({{ covering_runs }}) x)',
      snowflake: [
        '(SELECT MAX(x.covered_until) FROM (SELECT m.run_id, MAX(m.finished_at) AS available_at,',
        '    MAX(CASE WHEN m.model_name = CAST(? AS VARCHAR) THEN m.watermark_to END) AS covered_until',
        '  FROM ops.model_runs m',
        "  WHERE m.status = 'succeeded'",
        '    AND m.finished_at > CAST(? AS TIMESTAMP_NTZ)',
        '    AND m.finished_at <= CAST(? AS TIMESTAMP_NTZ)',
        '  GROUP BY m.run_id) x)',
      ].join('\n'),
      values: {
        model: 'fct_feature_events',
        received_from: '2026-03-12 10:00:00',
        now: '2026-03-12 11:00:00',
      },
      duckdb: '2026-03-12T10:20:00.000Z',
    },
  ],
  unstaged_window_row: (
    [
      // in the window and not staged; staged by the erasure; loaded after the window
      ['f1', 1, '2026-03-12 10:00:00', true],
      ['f1', 2, '2026-03-12 10:00:00', false],
      ['f1', 1, '2026-03-12 12:00:00', false],
    ] as const
  ).map(([file, row, loadedAt, kept]) => ({
    template: "{{ unstaged_window_row('r') }}",
    snowflake: [
      'r.loaded_at > CAST(? AS TIMESTAMP_NTZ)',
      '  AND r.loaded_at <= CAST(? AS TIMESTAMP_NTZ)',
      '  AND LEAST(r.event_ts, DATEADD(MINUTE, ?, r.received_at)) >= CAST(? AS TIMESTAMP_NTZ)',
      '  AND LEAST(r.event_ts, DATEADD(MINUTE, ?, r.received_at)) < CAST(? AS TIMESTAMP_NTZ)',
      '  AND NOT EXISTS (',
      '    SELECT 1 FROM ops.erasure_staged_rows s',
      '    WHERE s.file_name = r.file_name',
      '      AND s.file_row = r.file_row',
      '  )',
    ].join('\n'),
    values: {
      loaded_after: '2026-03-12 09:00:00',
      loaded_until: '2026-03-12 11:00:00',
      event_from: '2026-03-12 00:00:00',
      event_before: '2026-03-13 00:00:00',
      future_tolerance_minutes: 5,
    },
    from: `(SELECT '${file}' AS file_name, ${row} AS file_row, ${T(loadedAt)} AS loaded_at, ${T('2026-03-12 08:00:00')} AS event_ts, ${T('2026-03-12 08:00:01')} AS received_at) r`,
    duckdb: kept,
  })),
  clamped_event_ts: [
    ...(
      [
        // a device clock an hour ahead: clamped to receipt + 5 min; one a minute ahead: kept
        ['2026-03-12 11:00:00', '2026-03-12T10:05:00.000Z'],
        ['2026-03-12 10:01:00', '2026-03-12T10:01:00.000Z'],
      ] as const
    ).map(([eventTs, kept]) => ({
      template: "{{ clamped_event_ts('r') }}",
      snowflake: 'LEAST(r.event_ts, DATEADD(MINUTE, ?, r.received_at))',
      values: { future_tolerance_minutes: 5 },
      from: `(SELECT ${T(eventTs)} AS event_ts, ${T('2026-03-12 10:00:00')} AS received_at) r`,
      duckdb: kept,
    })),
  ],
  clamped_event_date: [
    {
      template: "{{ clamped_event_date('r') }}",
      snowflake: 'CAST(LEAST(r.event_ts, DATEADD(MINUTE, ?, r.received_at)) AS DATE)',
      values: { future_tolerance_minutes: 5 },
      // an event dated next year, received just before midnight: its day is the receipt's day
      from: `(SELECT ${T('2027-01-01 00:00:00')} AS event_ts, ${T('2026-03-12 23:50:00')} AS received_at) r`,
      duckdb: '2026-03-12',
    },
  ],
};

const statement = (template: string, dialect: 'snowflake' | 'duckdb', from?: string) =>
  renderSqlFile('test/helper', `SELECT ${template} AS v${from ? ` FROM ${from}` : ''}`, dialect)
    .statements[0]!;

describe('param_set', () => {
  it('writes each named parameter to its column as its type', async () => {
    const warehouse = await createDuckDbWarehouse({ threads: 1 });
    try {
      await warehouse.execute('CREATE TABLE t (id VARCHAR, status VARCHAR, done_at TIMESTAMP, doc JSON)');
      await warehouse.execute("INSERT INTO t VALUES ('a', 'queued', NULL, NULL)");
      const st = renderSqlFile(
        'test/helper',
        "UPDATE t SET {{ param_set('status, done_at ts, doc json') }} WHERE id = {{ param('id') }}",
        'duckdb',
      ).statements[0]!;

      await warehouse.execute(
        st.sql,
        bindParams(st, { id: 'a', status: 'done', done_at: '2026-03-12 10:00:00', doc: '{"n":1}' }),
      );

      expect(await warehouse.query('SELECT status, done_at, doc FROM t')).toEqual([
        { status: 'done', done_at: '2026-03-12T10:00:00.000Z', doc: { n: 1 } },
      ]);
    } finally {
      await warehouse.close();
    }
  });
});

describe('field lists (json_columns, param_columns, param_set)', () => {
  const TYPES = '[ts|date|boolean|integer|bigint|double|json], comma-separated)';
  it.each([
    ["{{ json_columns('j.doc', 'a varchar') }}", "bad field list 'a varchar' (path "],
    ["{{ json_columns('j.doc', 'a,') }}", "bad field list 'a,' (path "],
    ["{{ json_columns('j.doc', 'a; DROP TABLE t') }}", 'bad field list'],
    ["{{ param_set('a.b') }}", "bad parameter list 'a.b' (name "],
    ["{{ param_columns('a text') }}", "bad parameter list 'a text' (name "],
  ])('rejects %s when the file is rendered, naming the form it takes', (template, message) => {
    expect(() => statement(template, 'duckdb')).toThrow(message);
    expect(() => statement(template, 'duckdb')).toThrow(TYPES);
  });
});

describe('SQL helpers and fragments', () => {
  let warehouse: Warehouse;
  beforeAll(async () => {
    warehouse = await createDuckDbWarehouse({ threads: 1 });
    await warehouse.execute('CREATE SCHEMA curated');
    await warehouse.execute('CREATE SCHEMA ops');
    await warehouse.execute(
      'CREATE TABLE ops.model_runs AS SELECT * FROM (VALUES ' +
        "('a', 'fct_feature_events', 'succeeded', TIMESTAMP '2026-03-12 10:30:00', TIMESTAMP '2026-03-12 10:20:00'), " +
        "('b', 'fct_feature_events', 'failed', TIMESTAMP '2026-03-12 10:40:00', TIMESTAMP '2026-03-12 10:35:00'), " +
        "('c', 'fct_feature_events', 'succeeded', TIMESTAMP '2026-03-12 09:30:00', TIMESTAMP '2026-03-12 09:25:00')" +
        ') t(run_id, model_name, status, finished_at, watermark_to)',
    );
    await warehouse.execute('CREATE SCHEMA work');
    await warehouse.execute(
      'CREATE TABLE work.fct_delta AS SELECT * FROM (VALUES ' +
        "('insert', 'ws-1', 'u-inserted'), ('replace_old', 'ws-1', 'u-replaced'), ('replace_new', 'ws-1', 'u-replaced'), " +
        "('forced', 'ws-1', 'u-forced'), ('forced', 'ws-1', NULL)) t(change, workspace_key, user_key)",
    );
    await warehouse.execute(
      "CREATE TABLE ops.erasure_staged_rows AS SELECT * FROM (VALUES ('f1', 2)) t(file_name, file_row)",
    );
    await warehouse.execute(
      "CREATE TABLE curated.feature_closure AS SELECT * FROM (VALUES ('editor.comments', 'editor'), ('editor.comments', 'editor.comments'), ('editor', 'editor')) t(feature_id, ancestor_id)",
    );
  });
  afterAll(() => warehouse.close());

  it('have a case here for each one', () => {
    expect(Object.keys(CASES).sort()).toEqual(
      [...Object.keys(DIALECT_HELPERS), ...Object.keys(SQL_FRAGMENTS)].sort(),
    );
  });

  const cases = Object.entries(CASES).flatMap(([name, list]) =>
    list.map((c, i) => [`${name} #${i + 1}`, c] as const),
  );

  it.each(cases)('%s renders for Snowflake as reviewed', (_name, c) => {
    expect(statement(c.template, 'snowflake').sql).toBe(`SELECT ${c.snowflake} AS v`);
  });

  it.each(cases)('%s computes the same in DuckDB', async (_name, c) => {
    const st = statement(c.template, 'duckdb', c.from);
    const [row] = await warehouse.query(st.sql, bindParams(st, c.values ?? {}));
    expect(row?.v).toEqual(c.duckdb);
  });
});
