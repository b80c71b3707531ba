import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDuckDbWarehouse } from '#adapters/duckdb/duckdb-warehouse.ts';
import { insertEventLines } from '#adapters/local/raw-loader.ts';
import { activationDdl, applyActivationDdl } from '#core/activation/ddl.ts';
import { applyPipelineDdl, pipelineDdl } from '#core/pipeline/pipeline-ddl.ts';
import { applyWarehouseDdl, warehouseDdl } from '#core/warehouse/ddl.ts';
import type { Warehouse } from '#core/warehouse/ports.ts';
import { duckdbSql, testSqlLibrary } from '#test/support/sql-library.ts';
import { featureUsedFixture } from '../../support/warehouse-events.ts';

const TABLES = `SELECT table_schema || '.' || table_name AS name, table_type AS type
  FROM information_schema.tables ORDER BY name`;

const empty = () => createDuckDbWarehouse({ threads: 1 });

describe('pipeline DDL', () => {
  let warehouse: Warehouse;
  beforeEach(async () => {
    warehouse = await empty();
  });
  afterEach(() => warehouse.close());

  it("creates exactly what the warehouse DDL (every layer's tables) and the activation views create, in one call", async () => {
    const layered = await empty();
    await applyWarehouseDdl(layered, duckdbSql);
    await applyActivationDdl(layered, duckdbSql);

    await applyPipelineDdl(warehouse, { library: duckdbSql });

    expect(await warehouse.query(TABLES)).toEqual(await layered.query(TABLES));
    await layered.close();
  });

  it('gives a fresh warehouse every table and view the transform, the checks and the erasure use', async () => {
    await applyPipelineDdl(warehouse, { library: duckdbSql });
    const names = (await warehouse.query(TABLES)).map((r) => r.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'raw.events',
        'curated.fct_feature_events',
        'curated.user_first_last',
        'curated.activation_states',
        'curated.app_visit_activation_week',
        'curated.app_visit_activation_week_summary',
        'ops.quality_results',
        'ops.quality_status',
        'ops.collector_counts',
        'ops.erasure_requests',
        'ops.erased_users',
      ]),
    );
  });

  it('can run on every start: a second run changes nothing and seeds the lock rows once', async () => {
    await applyPipelineDdl(warehouse, { library: duckdbSql });
    const once = await warehouse.query(TABLES);
    await applyPipelineDdl(warehouse, { library: duckdbSql });
    expect(await warehouse.query(TABLES)).toEqual(once);
    expect(await warehouse.query('SELECT lock_name FROM ops.locks ORDER BY lock_name')).toEqual([
      { lock_name: 'erasure' },
      { lock_name: 'transform' },
    ]);
  });

  it('gives raw.events of a warehouse file made before tracking plans its planned column on start, old rows planned', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'tally-ddl-'));
    const path = join(folder, 'warehouse.duckdb');
    try {
      const before = await createDuckDbWarehouse({ path, threads: 1 });
      await applyPipelineDdl(before, { library: duckdbSql });
      // raw.events as it was made before tracking plans, with a row
      await before.execute('ALTER TABLE raw.events DROP COLUMN planned');
      await before.execute(
        `INSERT INTO raw.events (dedup_key, event_name, schema_version, received_at, event_ts, source_id,
           file_name, file_row, loaded_at)
         VALUES ('dk-old', 'feature_used', '1-0-0', now(), now(), 'web', 'events/old.json.gz', 1, now())`,
      );
      await before.close();

      const upgraded = await createDuckDbWarehouse({ path, threads: 1 });
      try {
        await applyPipelineDdl(upgraded, { library: duckdbSql });
        const unplanned = { ...featureUsedFixture(), dedup_key: 'dk-unplanned', planned: false };
        await insertEventLines(upgraded, [JSON.stringify(unplanned)], 'events/new.json.gz', new Date(), {
          library: duckdbSql,
        });

        expect(await upgraded.query('SELECT file_name, planned FROM raw.events ORDER BY file_name')).toEqual([
          { file_name: 'events/new.json.gz', planned: false },
          { file_name: 'events/old.json.gz', planned: true },
        ]);
        const columns =
          'SELECT column_name FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position';
        await applyPipelineDdl(warehouse, { library: duckdbSql });
        expect(await upgraded.query(columns, ['events'])).toEqual(await warehouse.query(columns, ['events']));
      } finally {
        await upgraded.close();
      }
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it('names the statement that failed', async () => {
    const failing: Warehouse = {
      ...warehouse,
      execute: (sql, params) =>
        sql.includes('ops.quality_results')
          ? Promise.reject(new Error('permission denied'))
          : warehouse.execute(sql, params),
    };
    await expect(applyPipelineDdl(failing, { library: duckdbSql })).rejects.toThrow(
      'ddl/ops/quality_results#create_table: permission denied',
    );
  });

  it('lists the Snowflake statements in order: schemas, every table, views and seeds, then the activation views', () => {
    const library = testSqlLibrary('snowflake');
    const statements = pipelineDdl(library);
    const warehouseSql = warehouseDdl(library).map((s) => s.sql);
    expect(statements).toEqual([...warehouseSql, ...activationDdl(library)]);
    const firstTable = statements.findIndex((sql) => /CREATE (TRANSIENT )?TABLE/.test(sql));
    const lastTable = statements.findLastIndex((sql) => /CREATE (TRANSIENT )?TABLE/.test(sql));
    // every layer's tables are among them, and nothing reads a table before it exists
    for (const table of ['ops.erasure_requests', 'ops.quality_check_runs', 'curated.activation_states']) {
      expect(statements.some((sql) => sql.includes(`CREATE TABLE IF NOT EXISTS ${table}`))).toBe(true);
    }
    expect(
      statements
        .slice(0, firstTable)
        .every((sql) => /^\s*(--[^\n]*\n\s*)*CREATE (TRANSIENT )?SCHEMA IF NOT EXISTS/.test(sql)),
    ).toBe(true);
    expect(
      statements.slice(firstTable, lastTable + 1).every((sql) => /CREATE (TRANSIENT )?TABLE/.test(sql)),
    ).toBe(true);
    expect(statements.filter((sql) => sql.includes('?'))).toEqual([]);
    expect(statements.some((sql) => sql.includes('TIMESTAMP_NTZ'))).toBe(true);
  });
});
