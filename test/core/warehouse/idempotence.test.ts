import type { Warehouse } from '#core/warehouse/ports.ts';
import { preparedWarehouses, STATE_TABLES, snapshot } from '../../support/warehouse-db.ts';
import { eventLine } from '../../support/warehouse-events.ts';
import { load, rebuild, transform } from '../../support/warehouse-pipeline.ts';

const lines = [
  eventLine({ id: 'a', at: '2026-03-09T09:00:00.000Z', user: 'u1' }),
  eventLine({
    id: 'b',
    at: '2026-03-10T09:00:00.000Z',
    user: 'u2',
    feature: 'sharing.link',
    platform: 'android',
  }),
  eventLine({ id: 'c', at: '2026-03-10T10:00:00.000Z', user: null, anonymousId: 'd-1', workspace: null }),
  eventLine({
    id: 'd',
    at: '2026-03-10T11:00:00.000Z',
    user: 'u1',
    feature: 'mystery',
    known: false,
    platform: null,
  }),
  eventLine({ id: 'e', at: '2026-03-10T11:30:00.000Z', user: 'u3', feature: null }),
];

describe('reruns', () => {
  let warehouse: Warehouse;
  /** Every test reruns on its warehouse: each gets its own copy of the one loaded and run twice here. */
  let twiceRun: () => Promise<Warehouse>;
  beforeAll(async () => {
    twiceRun = await preparedWarehouses(async (prepared) => {
      await load(prepared, 'events/a.ndjson.gz', '2026-03-10T12:00:00.000Z', lines.slice(0, 3));
      await transform(prepared, '2026-03-10T12:05:00.000Z');
      await load(prepared, 'events/b.ndjson.gz', '2026-03-10T13:00:00.000Z', lines.slice(2));
      await transform(prepared, '2026-03-10T13:05:00.000Z');
    });
  });
  beforeEach(async () => {
    warehouse = await twiceRun();
  });
  afterEach(() => warehouse.close());

  it('leaves every table identical when rerun with no new data', async () => {
    const before = await snapshot(warehouse, STATE_TABLES);
    const report = await transform(warehouse, '2026-03-10T13:20:00.000Z');
    expect(await snapshot(warehouse, STATE_TABLES)).toEqual(before);
    expect(report.models.find((m) => m.model === 'fct_feature_events')).toMatchObject({ rowsWritten: 0 });
  });

  it('leaves the watermarks where they were when there is nothing new', async () => {
    const before = await warehouse.query(
      'SELECT model_name, loaded_at_watermark, run_id FROM ops.watermarks ORDER BY 1',
    );
    await transform(warehouse, '2026-03-10T14:00:00.000Z');
    expect(
      await warehouse.query('SELECT model_name, loaded_at_watermark, run_id FROM ops.watermarks ORDER BY 1'),
    ).toEqual(before);
  });

  it('gives the same tables when a rebuild is run twice', async () => {
    await rebuild(warehouse, '2026-03-10T13:30:00.000Z');
    const once = await snapshot(warehouse, STATE_TABLES, ['run_id', 'updated_at']);
    await rebuild(warehouse, '2026-03-10T13:40:00.000Z');
    expect(await snapshot(warehouse, STATE_TABLES, ['run_id', 'updated_at'])).toEqual(once);
  });

  it('runs one of two simultaneous runs and turns the other away, with the same tables as a single run', async () => {
    await load(warehouse, 'events/c.ndjson.gz', '2026-03-10T14:00:00.000Z', [
      eventLine({ id: 'f', at: '2026-03-10T13:50:00.000Z', user: 'u4' }),
    ]);
    const results = await Promise.allSettled([
      transform(warehouse, '2026-03-10T14:05:00.000Z'),
      transform(warehouse, '2026-03-10T14:05:00.000Z'),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const rejected = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(rejected?.reason).toMatchObject({ name: 'TransformLockedError' });
    const concurrent = await snapshot(warehouse, STATE_TABLES);
    await transform(warehouse, '2026-03-10T14:10:00.000Z');
    expect(await snapshot(warehouse, STATE_TABLES)).toEqual(concurrent);
    expect(
      await warehouse.query("SELECT count(*) AS n FROM curated.fct_feature_events WHERE dedup_key = 'dk-f'"),
    ).toEqual([{ n: 1 }]);
  });
});
