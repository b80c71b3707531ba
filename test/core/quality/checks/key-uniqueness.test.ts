import { keyStatement, keyUniquenessCheck } from '#core/quality/checks/key-uniqueness.ts';
import { KEYED_TABLES, type TableKey } from '#core/quality/checks/table-keys.ts';
import { SqlTemplateError } from '#core/warehouse/errors.ts';
import type { Warehouse } from '#core/warehouse/ports.ts';
import { testSqlLibrary } from '#test/support/sql-library.ts';
import {
  buildCleanWarehouse,
  lineOf,
  loadLines,
  NOW,
  SERIES,
  withFault,
} from '../support/clean-warehouse.ts';
import { failures, notPassing, runCheck } from '../support/run-check.ts';

const minutesAgo = (m: number) => new Date(NOW.getTime() - m * 60_000);

describe('key-uniqueness', () => {
  let warehouse: Warehouse;
  beforeAll(async () => {
    warehouse = await buildCleanWarehouse({ history: 'days' });
  });
  afterAll(() => warehouse.close());

  it('passes every keyed table on clean data', async () => {
    const run = await runCheck(warehouse, keyUniquenessCheck());
    expect(notPassing(run)).toEqual([]);
    expect(run.results.map((r) => r.bucket)).toEqual(KEYED_TABLES.map((t) => t.table));
  });

  it('fails an aggregate whose row was written twice, naming the key', async () => {
    const run = await withFault(warehouse, async (tx) => {
      await tx.execute(`INSERT INTO curated.feature_usage_daily
        SELECT * FROM curated.feature_usage_daily
        WHERE event_date = DATE '2024-03-12' AND workspace_id = 'ws-12' AND feature_id = 'editor' AND platform = 'android'`);
      return runCheck(tx, keyUniquenessCheck());
    });
    expect(failures(run)).toEqual([['curated.feature_usage_daily', ['2024-03-12|ws-12|editor|android']]]);
  });

  it('fails the fact when a dedup key is stored twice', async () => {
    const run = await withFault(warehouse, async (tx) => {
      await tx.execute(`INSERT INTO curated.fct_feature_events
        SELECT * FROM curated.fct_feature_events WHERE dedup_key = 'dk-ios-app-feature_used-2024031214-5'`);
      return runCheck(tx, keyUniquenessCheck());
    });
    expect(failures(run)).toEqual([['curated.fct_feature_events', ['dk-ios-app-feature_used-2024031214-5']]]);
  });

  it('fails raw when the same file is loaded twice under the same name', async () => {
    const file = 'events/dt=2024-03-12/hr=14/loaded-twice.ndjson.gz';
    const run = await withFault(warehouse, async (tx) => {
      const lines = [lineOf('a', SERIES[0]!, minutesAgo(30)), lineOf('b', SERIES[0]!, minutesAgo(30))];
      await loadLines(tx, file, minutesAgo(29), lines);
      await loadLines(tx, file, minutesAgo(28), lines);
      return runCheck(tx, keyUniquenessCheck());
    });
    expect(failures(run)).toEqual([['raw.events', [`${file}#1`, `${file}#2`]]]);
  });

  it('fails the activation tables when a user-period or a period is written twice', async () => {
    const [row] = await warehouse.query<{ period: string; user: string }>(
      `SELECT CAST(period_start AS VARCHAR) AS period, user_key AS user FROM curated.activation_states
       WHERE fact = 'app_visit' AND grain = 'week' ORDER BY period_start DESC, user_key LIMIT 1`,
    );
    const { period, user } = row!;
    const run = await withFault(warehouse, async (tx) => {
      await tx.execute(
        `INSERT INTO curated.activation_states SELECT * FROM curated.activation_states
         WHERE fact = 'app_visit' AND grain = 'week' AND period_start = CAST(? AS DATE) AND user_key = ?`,
        [period, user],
      );
      await tx.execute(
        `INSERT INTO curated.activation_summary SELECT * FROM curated.activation_summary
         WHERE fact = 'app_visit' AND grain = 'week' AND period_start = CAST(? AS DATE)`,
        [period],
      );
      return runCheck(tx, keyUniquenessCheck());
    });
    expect(failures(run)).toEqual([
      ['curated.activation_states', [`app_visit|week|${period}|${user}`]],
      ['curated.activation_summary', [`app_visit|week|${period}`]],
    ]);
  });

  it('fails the run log when a run logs the same model twice', async () => {
    const [row] = await warehouse.query<{ run: string; model: string }>(
      'SELECT run_id AS run, model_name AS model FROM ops.model_runs ORDER BY started_at DESC, model_name LIMIT 1',
    );
    const { run, model } = row!;
    const result = await withFault(warehouse, async (tx) => {
      await tx.execute(
        'INSERT INTO ops.model_runs SELECT * FROM ops.model_runs WHERE run_id = ? AND model_name = ?',
        [run, model],
      );
      return runCheck(tx, keyUniquenessCheck());
    });
    expect(failures(result)).toEqual([['ops.model_runs', [`${run}|${model}`]]]);
  });

  it('fails the catalog when a feature id is listed twice', async () => {
    const run = await withFault(warehouse, async (tx) => {
      await tx.execute(
        "INSERT INTO curated.dim_feature SELECT * FROM curated.dim_feature WHERE feature_id = 'sharing.link'",
      );
      return runCheck(tx, keyUniquenessCheck());
    });
    expect(failures(run)).toEqual([['curated.dim_feature', ['sharing.link']]]);
  });
});

describe('key-uniqueness statement of one table (Snowflake)', () => {
  const template = testSqlLibrary('snowflake').template('quality/key_uniqueness', 'duplicated_keys');
  const filter = (sql: string): string[] => sql.split('\n').filter((l) => /^\s+(WHERE|SELECT \w|\))/.test(l));

  it.each<[string, TableKey, string[], string[]]>([
    [
      'rows stamped after the lookback start',
      { table: 'raw.events', key: ['file_name', 'file_row'], touched: { after: 'loaded_at' } },
      ['  WHERE t.loaded_at > CAST(? AS TIMESTAMP_NTZ)'],
      ['key_separator', 'touched_after'],
    ],
    [
      'every row of a key stamped after the lookback start',
      { table: 'curated.fct_feature_events', key: ['dedup_key'], touched: { keysAfter: 'loaded_at' } },
      [
        '  WHERE (dedup_key) IN (',
        '    SELECT dedup_key FROM curated.fct_feature_events n',
        '    WHERE n.loaded_at > CAST(? AS TIMESTAMP_NTZ)',
        '  )',
      ],
      ['key_separator', 'touched_after'],
    ],
    [
      'rows dated from the lookback start',
      {
        table: 'curated.activation_states',
        key: ['fact', 'period_start'],
        touched: { date: 'period_start', from: 'month' },
      },
      ['  WHERE t.period_start >= CAST(? AS DATE)'],
      ['key_separator', 'touched_from'],
    ],
    ['every row', { table: 'ops.watermarks', key: ['model_name'] }, [], ['key_separator']],
  ])('reads %s', (_kind, keyed, where, params) => {
    const statement = keyStatement(template, keyed);
    expect(statement.name).toBe(`duplicated_keys(${keyed.table})`);
    expect(filter(statement.sql)).toEqual(where);
    expect(statement.sql).toContain(`FROM ${keyed.table} t\n`);
    expect(statement.sql).toContain(`GROUP BY ${keyed.key.join(', ')}\n  HAVING COUNT(*) > 1`);
    expect(statement.params).toEqual(params);
  });

  it('refuses a declaration whose table or columns are not plain identifiers', () => {
    expect(() =>
      keyStatement(template, { table: 'raw.events t; DELETE FROM raw.events', key: ['a'] }),
    ).toThrow(SqlTemplateError);
    expect(() => keyStatement(template, { table: 'raw.events', key: ['CAST(a AS VARCHAR)'] })).toThrow(
      "slot 'key_columns' takes identifiers",
    );
  });
});
