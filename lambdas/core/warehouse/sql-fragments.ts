import { DIALECT_HELPERS, type DialectHelper } from './dialect.ts';
import type { Dialect } from './ports.ts';

/**
 * SQL the models share, called from `sql/**` like the dialect helpers (`{{ name(arg, ...) }}`), so a rule
 * written once is never copied between files: the period calendar of the activation models, the filter of
 * an activation fact, the future-clock clamp. Each renders plain SQL through the dialect helpers, and its
 * run-time values are named parameters (bound as `?`), never text in the statement.
 */

const h = DIALECT_HELPERS;
const param = (d: Dialect, name: string): string => h.param.render(d, [name]);

/** `CAST(<grain> AS VARCHAR)`: the grain argument is an expression (usually `param('grain')`). */
const grainOf = (grain: string): string => `CAST(${grain} AS VARCHAR)`;

/**
 * Whether work.fct_delta row `alias` makes its user recomputed from the fact: a replaced copy or a forced
 * recompute (every change but `insert`, which is merged).
 */
const recomputes = (alias: string): string => `${alias}.change <> 'insert'`;

/** The two bounds of timestamp `column` in (`from`, `until`] (parameter names): open at the start, closed at the end. */
const within = (d: Dialect, column: string, from: string, until: string): [string, string] => {
  const ts = h.type_ts.render(d);
  return [`${column} > CAST(${param(d, from)} AS ${ts})`, `${column} <= CAST(${param(d, until)} AS ${ts})`];
};

/** See `clamped_event_ts`. */
const clampedEventTs = (d: Dialect, alias: string): string =>
  `LEAST(${alias}.event_ts, ${h.ts_add_minutes.render(d, [`${alias}.received_at`, param(d, 'future_tolerance_minutes')])})`;

/**
 * The additive columns of curated.activation_summary, in table order, and which state row each counts: the
 * rest of its columns derive from these (docs/ACTIVATION.md).
 */
const SUMMARY_COUNTS: readonly { readonly column: string; readonly counts: (alias: string) => string }[] = [
  ...['New', 'Retained', 'Reactivated'].map((state) => ({
    column: `${state.toLowerCase()}_users`,
    counts: (a: string) => `${a}.state = '${state}'`,
  })),
  { column: 'churned_users', counts: (a) => `${a}.is_churned` },
  ...['Retained', 'Inactive'].flatMap((to) =>
    ['New', 'Retained', 'Reactivated'].map((from) => ({
      column: `${from.toLowerCase()}_to_${to.toLowerCase()}`,
      counts: (a: string) => `${a}.transition = '${from} -> ${to}'`,
    })),
  ),
];

/**
 * The types a field of `json_columns`, `param_columns` or `param_set` may name, as the SQL type a value is
 * cast to; `json` keeps a JSON value (`json_get` of a row, `json_parse` of a parameter) and no type is text.
 */
export const FIELD_TYPES = {
  ts: (d: Dialect) => h.type_ts.render(d),
  date: () => 'DATE',
  boolean: () => 'BOOLEAN',
  integer: () => 'INTEGER',
  bigint: () => 'BIGINT',
  double: () => 'DOUBLE',
  json: null,
} as const satisfies Record<string, ((d: Dialect) => string) | null>;

type FieldType = keyof typeof FIELD_TYPES;

/** The fields of a field list (`name [type], ...`, checked by the template parser). */
const fieldsOf = (list: string): { name: string; type: FieldType | undefined }[] =>
  list.split(',').map((field) => {
    const [name = '', type] = field.trim().split(/\s+/) as [string, FieldType | undefined];
    return { name, type };
  });

/** One `json_columns` field of JSON value `x`. */
const jsonField = (d: Dialect, x: string, path: string, type: FieldType | undefined): string => {
  if (type === 'json') return h.json_get.render(d, [x, path]);
  const text = h.json_str.render(d, [x, path]);
  return type === undefined ? text : `CAST(${text} AS ${FIELD_TYPES[type](d)})`;
};

/** One `param_columns` field: the parameter `name` as its type (text when none). */
const paramField = (d: Dialect, name: string, type: FieldType | undefined): string => {
  if (type === 'json') return h.json_parse.render(d, [param(d, name)]);
  return `CAST(${param(d, name)} AS ${type === undefined ? 'VARCHAR' : FIELD_TYPES[type](d)})`;
};

const FIELD_SEPARATOR = ',\n  ';

export const SQL_FRAGMENTS = {
  /**
   * The fields of JSON value `x` as typed columns, one a line, in the order listed: `fields` is a
   * comma-separated list of `path` (text, `json_str`) or `path type` with a type of FIELD_TYPES (`ts`,
   * `date`, `boolean`, `integer`, `bigint`, `double`: the text cast; `json`: the sub-value, `json_get`). So a statement that
   * inserts JSON rows names each field once, with its type (sql/loads/, the quality results).
   */
  json_columns: {
    args: ['expr', 'fields'],
    render: (d, [x = '', fields = '']) =>
      fieldsOf(fields)
        .map(({ name, type }) => jsonField(d, x, name, type))
        .join(FIELD_SEPARATOR),
  },

  /**
   * Named parameters as typed values, one a line, in the order listed: `params` is a comma-separated list of
   * `name` (text: `CAST(? AS VARCHAR)`) or `name type` (FIELD_TYPES; `json`: `json_parse`). So a statement
   * that writes a record's values names each once, with its type (sql/erasure/ records).
   */
  param_columns: {
    args: ['params'],
    render: (d, [params = '']) =>
      fieldsOf(params)
        .map(({ name, type }) => paramField(d, name, type))
        .join(FIELD_SEPARATOR),
  },

  /** The assignments `name = <param_columns value>` of an UPDATE's SET, one a line, for the same list. */
  param_set: {
    args: ['params'],
    render: (d, [params = '']) =>
      fieldsOf(params)
        .map(({ name, type }) => `${name} = ${paramField(d, name, type)}`)
        .join(FIELD_SEPARATOR),
  },

  /**
   * First day of the period of grain `grain` ('day', 'week' or 'month') holding DATE `x`: the day itself,
   * the Monday of its ISO week, the first of its month (lambdas/core/activation/grain.ts `periodStart`).
   */
  period_start: {
    args: ['expr', 'expr'],
    render: (d, [grain = '', x = '']) =>
      `CASE ${grainOf(grain)} WHEN 'day' THEN CAST(${x} AS DATE) WHEN 'week' THEN ${h.iso_week_start.render(d, [x])} ` +
      `ELSE CAST(DATE_TRUNC('MONTH', ${x}) AS DATE) END`,
  },

  /**
   * The period number of a period start `x` of grain `grain`: days since 1970-01-01, ISO weeks since
   * Monday 1970-01-05, or year * 12 + month (grain.ts `periodIndex`), so that the previous period is n - 1.
   */
  period_index: {
    args: ['expr', 'expr'],
    render: (_d, [grain = '', x = '']) =>
      `CASE ${grainOf(grain)} WHEN 'day' THEN ${x} - DATE '1970-01-01' ` +
      `WHEN 'week' THEN CAST((${x} - DATE '1970-01-05') / 7 AS INTEGER) ELSE YEAR(${x}) * 12 + MONTH(${x}) END`,
  },

  /**
   * The FirstLast bucket of fact row `alias` (lambdas/core/activation/first-last-model.ts): its
   * snapshot_date, bucket_start and snapshot_grain, a day row from `daily_from` on, else a month row (dated
   * the month's last day, starting on its first).
   */
  first_last_bucket: {
    args: ['name'],
    render: (d, [a = '']) => {
      const daily = `${a}.event_date >= CAST(${param(d, 'daily_from')} AS DATE)`;
      return [
        `CASE WHEN ${daily} THEN ${a}.event_date ELSE LAST_DAY(${a}.event_date) END,`,
        '  CASE',
        `    WHEN ${daily} THEN ${a}.event_date`,
        `    ELSE CAST(DATE_TRUNC('MONTH', ${a}.event_date) AS DATE)`,
        '  END,',
        `  CASE WHEN ${daily} THEN 'day' ELSE 'month' END`,
      ].join('\n');
    },
  },

  /**
   * Whether the fact row `alias` counts for an activation fact, from the declaration's parameters
   * (lambdas/core/activation/fact.ts `factValues`): `event_names` (JSON list of {name}, NULL: any),
   * `feature_family` (NULL: any; else one of `family_features`, the JSON list of {id} of the family and
   * the features below it, read once per run from curated.feature_closure: activation/family-features.ts),
   * `feature_required`.
   */
  fact_filter: {
    args: ['name'],
    render: (d, [alias = '']) =>
      [
        `(CAST(${param(d, 'event_names')} AS VARCHAR) IS NULL OR ${alias}.event_name IN (`,
        `    SELECT ${h.json_str.render(d, ['n.value', 'name'])} FROM ${h.json_rows.render(d, [param(d, 'event_names')])} AS n))`,
        `  AND (CAST(${param(d, 'feature_family')} AS VARCHAR) IS NULL OR ${alias}.feature_id IN (`,
        `    SELECT ${h.json_str.render(d, ['ff.value', 'id'])} FROM ${h.json_rows.render(d, [param(d, 'family_features')])} AS ff))`,
        `  AND (NOT CAST(${param(d, 'feature_required')} AS BOOLEAN) OR ${alias}.feature_id IS NOT NULL)`,
      ].join('\n'),
  },

  /**
   * The rows of the activation spine a run passes as parameter `periods` (a JSON array of { period_start,
   * period_index }, lambdas/core/activation/grain.ts `spine`): the body of a CTE with those two columns.
   */
  spine_periods: {
    args: [],
    render: (d) =>
      [
        'SELECT',
        `    CAST(${h.json_str.render(d, ['p.value', 'period_start'])} AS DATE) AS period_start,`,
        `    CAST(${h.json_str.render(d, ['p.value', 'period_index'])} AS INTEGER) AS period_index`,
        `  FROM ${h.json_rows.render(d, [param(d, 'periods')])} AS p`,
      ].join('\n'),
  },

  /**
   * Users per state and per transition among activation_states rows `alias` (grouped by period), each row
   * counting `sign` (1, or -1 for a row a run replaces): the additive columns of activation_summary, in the
   * order of SUMMARY_COUNTS.
   */
  state_counts: {
    args: ['name', 'expr'],
    render: (_d, [a = '', sign = '']) =>
      SUMMARY_COUNTS.map(({ counts }) => `SUM(CASE WHEN ${counts(a)} THEN ${sign} ELSE 0 END)`).join(',\n  '),
  },

  /** The same columns summed over rows `alias` that hold them (staged counts of one period). */
  summed_counts: {
    args: ['name'],
    render: (_d, [a = '']) => SUMMARY_COUNTS.map(({ column }) => `SUM(${a}.${column})`).join(',\n  '),
  },

  /**
   * The summary of one check in one quality run (a row of ops.quality_check_runs) from its results `alias`
   * in ops.quality_results, grouped by (run_id, check_name): the worst status (fail, error, skipped, pass),
   * the bucket counts, and observed_max / observed_abs_total over the judged (pass or fail) buckets.
   */
  check_run_summary: {
    args: ['name'],
    render: (_d, [q = '']) =>
      [
        `${q}.run_id,`,
        `  MIN(${q}.checked_at),`,
        `  ${q}.check_name,`,
        `  MAX(${q}.severity),`,
        `  CASE MAX(CASE ${q}.status WHEN 'fail' THEN 3 WHEN 'error' THEN 2 WHEN 'skipped' THEN 1 ELSE 0 END)`,
        "    WHEN 3 THEN 'fail' WHEN 2 THEN 'error' WHEN 1 THEN 'skipped' ELSE 'pass' END,",
        '  COUNT(*),',
        `  COUNT(CASE WHEN ${q}.status = 'fail' THEN 1 END),`,
        `  MAX(CASE WHEN ${q}.status IN ('pass', 'fail') THEN ${q}.observed END),`,
        `  SUM(CASE WHEN ${q}.status IN ('pass', 'fail') THEN ABS(${q}.observed) END)`,
      ].join('\n'),
  },

  /**
   * The transform runs that committed in (`received_from`, `now`] (the body of a CTE): each run's
   * available_at (its last model's finished_at) and covered_until (the watermark_to of model `model`, the
   * raw rows it covered). The curated side of the freshness-p95 check.
   */
  covering_runs: {
    args: [],
    render: (d) => {
      const ts = h.type_ts.render(d);
      return [
        'SELECT m.run_id, MAX(m.finished_at) AS available_at,',
        `    MAX(CASE WHEN m.model_name = CAST(${param(d, 'model')} AS VARCHAR) THEN m.watermark_to END) AS covered_until`,
        '  FROM ops.model_runs m',
        "  WHERE m.status = 'succeeded'",
        `    AND m.finished_at > CAST(${param(d, 'received_from')} AS ${ts})`,
        `    AND m.finished_at <= CAST(${param(d, 'now')} AS ${ts})`,
        '  GROUP BY m.run_id',
      ].join('\n');
    },
  },

  /**
   * The users a run recomputes from the fact instead of merging (the body of a derived table): the
   * (workspace_key, user_key) pairs of work.fct_delta touched by a replaced copy or a forced recompute.
   * The bounds of the last-seen models' recompute (user_index) read it.
   */
  recomputed_users: {
    args: [],
    render: () =>
      [
        'SELECT DISTINCT d.workspace_key, d.user_key FROM work.fct_delta d',
        `  WHERE ${recomputes('d')} AND d.user_key IS NOT NULL`,
      ].join('\n'),
  },

  /**
   * Whether the user (`workspace`, `user_key`: expressions) is one of `recomputed_users`, whose new rows the
   * last-seen models do not merge (`NOT recomputed_user(...)`): they recompute them from the fact, joined to
   * `recomputed_users` (a join lets the engine prune the fact by the users' keys; an EXISTS did not).
   */
  recomputed_user: {
    args: ['expr', 'expr'],
    render: (_d, [workspace = '', user = '']) =>
      [
        'EXISTS (',
        '    SELECT 1 FROM work.fct_delta x',
        `    WHERE ${recomputes('x')} AND x.workspace_key = ${workspace} AND x.user_key = ${user}`,
        '  )',
      ].join('\n'),
  },

  /**
   * Whether row `alias` was loaded in (`loaded_after`, `loaded_until`]: the load window of a quality
   * check, a transform run or the erasure's sweep, open at its start so consecutive windows never count a
   * row twice.
   */
  loaded_in_window: {
    args: ['name'],
    render: (d, [a = '']) => within(d, `${a}.loaded_at`, 'loaded_after', 'loaded_until').join('\n  AND '),
  },

  /**
   * Whether raw row `alias` (events or rejected) was received in (`received_from`, `received_until`] and
   * loaded by `now`; bounded by loaded_at too, the clustering key (a row is loaded after it was received).
   * The window of the freshness-p95 check.
   */
  received_in_window: {
    args: ['name'],
    render: (d, [a = '']) =>
      [
        ...within(d, `${a}.loaded_at`, 'received_from', 'now'),
        ...within(d, `${a}.received_at`, 'received_from', 'received_until'),
      ].join('\n    AND '),
  },

  /**
   * Whether raw row `alias` is one of the run's window (loaded in (`loaded_after`, `loaded_until`], event
   * time in [`event_from`, `event_before`)) that the erasure has not staged (ops.erasure_staged_rows): what
   * the fact stages, and what the erasure's suppression looks through for rows of erased users.
   */
  unstaged_window_row: {
    args: ['name'],
    render: (d, [r = '']) => {
      const ts = h.type_ts.render(d);
      const clamped = clampedEventTs(d, r);
      return [
        ...within(d, `${r}.loaded_at`, 'loaded_after', 'loaded_until'),
        `${clamped} >= CAST(${param(d, 'event_from')} AS ${ts})`,
        `${clamped} < CAST(${param(d, 'event_before')} AS ${ts})`,
        [
          'NOT EXISTS (',
          '    SELECT 1 FROM ops.erasure_staged_rows s',
          `    WHERE s.file_name = ${r}.file_name`,
          `      AND s.file_row = ${r}.file_row`,
          '  )',
        ].join('\n'),
      ].join('\n  AND ');
    },
  },

  /**
   * The event time of raw row `alias` as the fact keeps it: event_ts, but never later than received_at
   * plus the `future_tolerance_minutes` parameter (a device clock ahead cannot date an event in the
   * future).
   */
  clamped_event_ts: {
    args: ['name'],
    render: (d, [alias = '']) => clampedEventTs(d, alias),
  },

  /** The day of clamped_event_ts: the event_date the fact gives raw row `alias`. */
  clamped_event_date: {
    args: ['name'],
    render: (d, [alias = '']) => `CAST(${clampedEventTs(d, alias)} AS DATE)`,
  },
} as const satisfies Record<string, DialectHelper>;

export type SqlFragmentName = keyof typeof SQL_FRAGMENTS;
