import { type BackfillProgress, runBackfill } from '#core/warehouse/backfill.ts';
import { TransformArgumentError } from '#core/warehouse/errors.ts';
import type { Warehouse } from '#core/warehouse/ports.ts';
import { duckdbSql } from '#test/support/sql-library.ts';
import {
  CURATED_TABLES,
  freshWarehouse,
  preparedWarehouses,
  STATE_TABLES,
  snapshot,
} from '../../support/warehouse-db.ts';
import { eventLine, testCatalog } from '../../support/warehouse-events.ts';
import { load, rebuild, transform } from '../../support/warehouse-pipeline.ts';

const NOW = '2026-03-12T12:00:00.000Z';

const backfill = (
  warehouse: Warehouse,
  from: string,
  to: string,
  extra: { models?: string[]; onProgress?: (p: BackfillProgress) => void } = {},
) =>
  runBackfill({
    library: duckdbSql,
    warehouse,
    catalog: testCatalog(),
    clock: () => new Date(NOW),
    from,
    to,
    ...extra,
  });

describe('backfill', () => {
  let warehouse: Warehouse;
  /** Every test changes its warehouse: each gets its own copy of the one loaded and transformed here. */
  let transformed: () => Promise<Warehouse>;
  beforeAll(async () => {
    transformed = await preparedWarehouses(async (prepared) => {
      const lines = [];
      for (const day of ['09', '10', '11']) {
        lines.push(
          eventLine({ id: `m${day}`, at: `2026-03-${day}T09:00:00.000Z`, user: 'u1' }),
          eventLine({
            id: `r${day}`,
            at: `2026-03-${day}T10:00:00.000Z`,
            user: 'u2',
            feature: 'editor.comments.reply',
          }),
        );
      }
      await load(prepared, 'events/a.ndjson.gz', '2026-03-11T12:00:00.000Z', lines);
      await transform(prepared, '2026-03-11T12:05:00.000Z');
    });
  });
  beforeEach(async () => {
    warehouse = await transformed();
  });
  afterEach(() => warehouse.close());

  it('re-derives lost rows of a date range from raw, through the same path as a rebuild', async () => {
    // at the backfill's clock: the activation tables then also hold the period in progress
    await transform(warehouse, NOW);
    const expected = await snapshot(warehouse, CURATED_TABLES);
    await warehouse.execute("DELETE FROM curated.fct_feature_events WHERE event_date = '2026-03-10'");
    await warehouse.execute("DELETE FROM curated.feature_usage_daily WHERE event_date >= '2026-03-10'");
    await warehouse.execute('UPDATE curated.feature_usage_weekly SET users = 99');
    await warehouse.execute('DELETE FROM curated.user_feature_last_seen');
    await backfill(warehouse, '2026-03-10', '2026-03-11');
    expect(await snapshot(warehouse, CURATED_TABLES)).toEqual(expected);
  });

  it('is idempotent: backfilling twice leaves every table as one backfill did', async () => {
    await backfill(warehouse, '2026-03-09', '2026-03-11');
    const once = await snapshot(warehouse, STATE_TABLES);
    await backfill(warehouse, '2026-03-09', '2026-03-11');
    expect(await snapshot(warehouse, STATE_TABLES)).toEqual(once);
    const afterBackfills = await snapshot(warehouse, CURATED_TABLES);
    await rebuild(warehouse, NOW);
    expect(await snapshot(warehouse, CURATED_TABLES)).toEqual(afterBackfills);
  });

  it('reports progress after each day and logs each day as a backfill run', async () => {
    const progress: string[] = [];
    const reports = await backfill(warehouse, '2026-03-09', '2026-03-11', {
      onProgress: (p) => progress.push(`${p.index}/${p.total} ${p.day}`),
    });
    expect(progress).toEqual(['1/3 2026-03-09', '2/3 2026-03-10', '3/3 2026-03-11']);
    expect(reports).toHaveLength(3);
    expect(
      await warehouse.query(
        "SELECT range_from, range_to, rows_written FROM ops.model_runs WHERE mode = 'backfill' AND model_name = 'feature_usage_daily' ORDER BY range_from",
      ),
    ).toEqual([
      { range_from: '2026-03-09', range_to: '2026-03-09', rows_written: 8 },
      { range_from: '2026-03-10', range_to: '2026-03-10', rows_written: 8 },
      { range_from: '2026-03-11', range_to: '2026-03-11', rows_written: 8 },
    ]);
  });

  it('recomputes only the models asked for', async () => {
    await warehouse.execute('UPDATE curated.feature_usage_daily SET users = 99');
    await warehouse.execute('UPDATE curated.feature_usage_weekly SET users = 99');
    await backfill(warehouse, '2026-03-09', '2026-03-11', { models: ['feature_usage_daily'] });
    expect(
      await warehouse.query('SELECT DISTINCT users FROM curated.feature_usage_daily ORDER BY 1'),
    ).toEqual([{ users: 1 }, { users: 2 }]);
    expect(await warehouse.query('SELECT DISTINCT users FROM curated.feature_usage_weekly')).toEqual([
      { users: 99 },
    ]);
  });

  it('leaves loads newer than the last run to the next incremental run, and keeps the watermarks', async () => {
    await load(warehouse, 'events/b.ndjson.gz', '2026-03-11T13:00:00.000Z', [
      eventLine({ id: 'fresh', at: '2026-03-11T12:30:00.000Z', user: 'u3' }),
    ]);
    // the loaded_at watermarks; an activation model's state also says up to which period it has built
    const watermarks = 'SELECT model_name, loaded_at_watermark FROM ops.watermarks ORDER BY model_name';
    const marks = await warehouse.query(watermarks);
    await backfill(warehouse, '2026-03-11', '2026-03-11');
    expect(
      await warehouse.query(
        "SELECT count(*) AS n FROM curated.fct_feature_events WHERE dedup_key = 'dk-fresh'",
      ),
    ).toEqual([{ n: 0 }]);
    expect(await warehouse.query(watermarks)).toEqual(marks);
    await transform(warehouse, '2026-03-11T13:05:00.000Z');
    expect(
      await warehouse.query(
        "SELECT count(*) AS n FROM curated.fct_feature_events WHERE dedup_key = 'dk-fresh'",
      ),
    ).toEqual([{ n: 1 }]);
  });

  it('reports every argument problem at once, each with its fix', async () => {
    const error = await backfill(warehouse, '2026-03-12', '2026-03-1', { models: ['daily'] }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TransformArgumentError);
    expect((error as TransformArgumentError).problems).toEqual([
      '--to "2026-03-1" is not a date: use YYYY-MM-DD',
      expect.stringMatching(/^unknown model "daily": choose from dim_feature, .*feature_usage_daily/),
    ]);
  });

  it.each([
    ['2026-03-11', '2026-03-09', '--from 2026-03-11 is after --to 2026-03-09: swap them'],
    ['2025-06-01', '2026-03-09', 'is before the fact retention horizon 2025-09-08'],
    ['2026-03-11', '2026-03-20', '--to 2026-03-20 is in the future: end at 2026-03-12 or earlier'],
  ])('refuses --from %s --to %s', async (from, to, message) => {
    await expect(backfill(warehouse, from, to)).rejects.toThrow(message);
  });

  it('refuses to backfill before anything has been transformed', async () => {
    const empty = await freshWarehouse();
    await expect(backfill(empty, '2026-03-10', '2026-03-10')).rejects.toThrow(
      'nothing has been transformed yet',
    );
    await empty.close();
  });
});
