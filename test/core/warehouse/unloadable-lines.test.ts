import { insertEventLines } from '#adapters/local/raw-loader.ts';
import type { Warehouse } from '#core/warehouse/ports.ts';
import { collectUnloadableLines } from '#core/warehouse/unloadable-lines.ts';
import { duckdbSql } from '#test/support/sql-library.ts';
import { freshWarehouse } from '../../support/warehouse-db.ts';
import { featureUsedFixture } from '../../support/warehouse-events.ts';

/**
 * The copy of Snowpipe's load errors runs on both warehouses (the quality job's same code path); on
 * DuckDB there is no error table, as the local loader stores each unloadable line as it loads.
 */
describe('collectUnloadableLines', () => {
  let warehouse: Warehouse;
  beforeEach(async () => {
    warehouse = await freshWarehouse();
  });
  afterEach(() => warehouse.close());

  it('runs on DuckDB, copies nothing and leaves the rows the local loader stored', async () => {
    const poison = JSON.stringify({ ...featureUsedFixture(), event_ts: 'yesterday' });
    await insertEventLines(warehouse, [poison], 'events/x.json.gz', new Date('2026-03-10T09:20:00.000Z'), {
      library: duckdbSql,
    });

    expect(
      await collectUnloadableLines(warehouse, {
        library: duckdbSql,
        now: new Date('2026-03-10T09:30:00.000Z'),
      }),
    ).toBe(0);
    expect(await warehouse.query('SELECT reason_code, file_row FROM raw.rejected_events')).toEqual([
      { reason_code: 'UNLOADABLE_LINE', file_row: 1 },
    ]);
  });
});
