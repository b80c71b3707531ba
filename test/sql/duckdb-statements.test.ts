import type { Warehouse } from '#core/warehouse/ports.ts';
import { duckdbSql } from '#test/support/sql-library.ts';
import { duckdbStatements, explain } from '../support/sql-statements.ts';
import { freshWarehouse } from '../support/warehouse-db.ts';

/** Folders whose tables sql/ddl creates (the quality checks test their own SQL). */
const OWN = ['loads/', 'models/', 'ops/'];
const statements = duckdbStatements((f) => OWN.some((prefix) => f.startsWith(prefix)));

describe('DuckDB rendering of sql/', () => {
  let warehouse: Warehouse;
  beforeAll(async () => {
    warehouse = await freshWarehouse();
  });
  afterAll(() => warehouse.close());

  it('creates every table of sql/ddl twice without error (idempotent DDL)', async () => {
    const { applyWarehouseDdl } = await import('#core/warehouse/ddl.ts');
    await expect(applyWarehouseDdl(warehouse, duckdbSql)).resolves.toBeUndefined();
    expect(await warehouse.query("SELECT lock_name FROM ops.locks WHERE lock_name = 'transform'")).toEqual([
      { lock_name: 'transform' },
    ]);
  });

  it.each(statements)('%s binds and plans against the DDL', async (_name, statement) => {
    await expect(explain(warehouse, statement.sql, statement.params)).resolves.toBeDefined();
  });
});
