import { activationDdl, activationViewDdl, applyActivationDdl } from '#core/activation/ddl.ts';
import { FACTS } from '#core/activation/facts.ts';
import { warehouseDdl } from '#core/warehouse/ddl.ts';
import type { Warehouse } from '#core/warehouse/ports.ts';
import { duckdbSql, testSqlLibrary } from '#test/support/sql-library.ts';
import { duckdbStatements, explain } from '../../support/sql-statements.ts';
import { freshWarehouse } from '../../support/warehouse-db.ts';

const statements = duckdbStatements((f) => f.startsWith('activation/'));

describe('DuckDB rendering of sql/activation/', () => {
  let warehouse: Warehouse;
  beforeAll(async () => {
    warehouse = await freshWarehouse();
  });
  afterAll(() => warehouse.close());

  it('creates the activation tables and the views of every declared fact, twice without error', async () => {
    await applyActivationDdl(warehouse, duckdbSql);
    await expect(applyActivationDdl(warehouse, duckdbSql)).resolves.toBeUndefined();
    const views = await warehouse.query(
      `SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = 'curated' AND table_type = 'VIEW'`,
    );
    expect(views).toEqual([{ n: FACTS.length * 3 * 2 }]);
  });

  it.each(statements)('%s binds and plans against the DDL', async (_name, statement) => {
    await expect(explain(warehouse, statement.sql, statement.params)).resolves.toBeDefined();
  });
});

describe('activation views', () => {
  it('select one fact and grain from the shared tables, with the analyst columns', () => {
    expect(activationViewDdl({ name: 'app_visit', description: 'any event' }, 'week', 'duckdb')).toEqual([
      'CREATE OR REPLACE VIEW curated.app_visit_activation_week AS\n' +
        'SELECT period_start, user_key, state, previous_state, transition, is_churned, active_streak, ' +
        'return_interval, inactive_duration, first_active_period, last_active_period\n' +
        'FROM curated.activation_states\n' +
        "WHERE fact = 'app_visit' AND grain = 'week'",
      'CREATE OR REPLACE VIEW curated.app_visit_activation_week_summary AS\n' +
        'SELECT period_start, active_users, new_users, retained_users, reactivated_users, churned_users, ' +
        'inactive_users, previous_active_users, quick_ratio, retention_rate, none_to_new, new_to_retained, ' +
        'retained_to_retained, reactivated_to_retained, inactive_to_reactivated, new_to_inactive, ' +
        'retained_to_inactive, reactivated_to_inactive, inactive_to_inactive\n' +
        'FROM curated.activation_summary\n' +
        "WHERE fact = 'app_visit' AND grain = 'week'",
    ]);
  });
});

describe('activation views on Snowflake', () => {
  it('keep the grants of the views they replace (the analyst role reads them)', () => {
    const [states, summary] = activationViewDdl(
      { name: 'app_visit', description: 'any event' },
      'week',
      'snowflake',
    );

    expect(states).toMatch(/^CREATE OR REPLACE VIEW curated\.app_visit_activation_week COPY GRANTS AS\n/);
    expect(summary).toMatch(
      /^CREATE OR REPLACE VIEW curated\.app_visit_activation_week_summary COPY GRANTS AS\n/,
    );
  });
});

describe('activation DDL for a Snowflake setup script', () => {
  it('lists two views per fact and grain (the tables, clustered, are with every other table in sql/ddl/)', () => {
    const ddl = activationDdl(testSqlLibrary('snowflake'));
    expect(ddl.every((sql) => sql.startsWith('CREATE OR REPLACE VIEW curated.'))).toBe(true);
    expect(ddl).toHaveLength(FACTS.length * 3 * 2);
    const states = warehouseDdl(testSqlLibrary('snowflake')).find((s) =>
      s.sql.includes('CREATE TABLE IF NOT EXISTS curated.activation_states'),
    );
    expect(states?.sql).toContain('CLUSTER BY (fact, grain, period_start)');
  });
});
