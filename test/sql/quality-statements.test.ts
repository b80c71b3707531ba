import { applyWarehouseDdl } from '#core/warehouse/ddl.ts';
import type { Warehouse } from '#core/warehouse/ports.ts';
import { duckdbSql } from '#test/support/sql-library.ts';
import { duckdbStatements, explain } from '../support/sql-statements.ts';
import { freshWarehouse } from '../support/warehouse-db.ts';

const statements = duckdbStatements((f) => f.startsWith('quality/'));

describe('DuckDB rendering of sql/quality/', () => {
  let warehouse: Warehouse;
  beforeAll(async () => {
    warehouse = await freshWarehouse();
  });
  afterAll(() => warehouse.close());

  it('creates ops.quality_results, ops.quality_status and ops.collector_counts twice without error', async () => {
    await expect(applyWarehouseDdl(warehouse, duckdbSql)).resolves.toBeUndefined();
    expect(await warehouse.query('SELECT COUNT(*) AS n FROM ops.quality_status')).toEqual([{ n: 0 }]);
  });

  it.each(statements)('%s binds and plans against the DDL', async (_name, statement) => {
    await expect(explain(warehouse, statement.sql, statement.params)).resolves.toBeDefined();
  });
});
