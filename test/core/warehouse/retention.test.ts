import type { Warehouse } from '#core/warehouse/ports.ts';
import { freshWarehouse, STATE_TABLES, snapshot } from '../../support/warehouse-db.ts';
import { eventLine } from '../../support/warehouse-events.ts';
import { load, transform } from '../../support/warehouse-pipeline.ts';

const count = async (warehouse: Warehouse, table: string) =>
  Number((await warehouse.query(`SELECT count(*) AS n FROM ${table}`))[0]?.n);

const counts = async (warehouse: Warehouse) => ({
  raw: await count(warehouse, 'raw.events'),
  fact: await count(warehouse, 'curated.fct_feature_events'),
  daily: await count(warehouse, 'curated.feature_usage_daily'),
  weekly: await count(warehouse, 'curated.feature_usage_weekly'),
  lastSeen: await count(warehouse, 'curated.user_feature_last_seen'),
  adoption: await count(warehouse, 'curated.feature_adoption_by_workspace'),
});

describe('retention', () => {
  let warehouse: Warehouse;
  beforeEach(async () => {
    warehouse = await freshWarehouse();
    await load(warehouse, 'events/old.ndjson.gz', '2026-01-05T12:00:00.000Z', [
      eventLine({ id: 'old', at: '2026-01-05T09:00:00.000Z', user: 'u1' }),
    ]);
    await transform(warehouse, '2026-01-05T12:05:00.000Z');
    await load(warehouse, 'events/new.ndjson.gz', '2026-07-20T12:00:00.000Z', [
      eventLine({ id: 'new', at: '2026-07-20T09:00:00.000Z', user: 'u2', workspace: 'ws-new' }),
    ]);
  });
  afterEach(() => warehouse.close());

  it('keeps raw and fact rows 180 days and aggregates 3 years', async () => {
    // 2026-07-20 is 196 days after the old event: raw and fact rows go, its aggregates stay.
    await transform(warehouse, '2026-07-20T12:05:00.000Z');
    expect(await warehouse.query('SELECT dedup_key FROM raw.events')).toEqual([{ dedup_key: 'dk-new' }]);
    expect(await warehouse.query('SELECT dedup_key FROM curated.fct_feature_events')).toEqual([
      { dedup_key: 'dk-new' },
    ]);
    expect(
      await warehouse.query('SELECT DISTINCT event_date FROM curated.feature_usage_daily ORDER BY 1'),
    ).toEqual([{ event_date: '2026-01-05' }, { event_date: '2026-07-20' }]);
    expect(await warehouse.query('SELECT user_key FROM curated.workspace_user_last_seen ORDER BY 1')).toEqual(
      [{ user_key: 'u1' }, { user_key: 'u2' }],
    );
  });

  it('drops aggregates older than 3 years', async () => {
    await transform(warehouse, '2029-01-10T00:00:00.000Z');
    expect(await counts(warehouse)).toEqual({
      raw: 0,
      fact: 0,
      daily: 0,
      weekly: 0,
      lastSeen: 0,
      adoption: 0,
    });
  });

  it('keeps the fact from a Monday so no week is left half counted', async () => {
    // 180 days before 2026-07-20 is Wednesday 2026-01-21; the fact keeps events from Monday 2026-01-19.
    await load(warehouse, 'events/edge.ndjson.gz', '2026-07-20T12:30:00.000Z', [
      eventLine({ id: 'monday', at: '2026-01-19T09:00:00.000Z', receivedAt: '2026-07-20T12:20:00.000Z' }),
      eventLine({ id: 'sunday', at: '2026-01-18T09:00:00.000Z', receivedAt: '2026-07-20T12:20:00.000Z' }),
    ]);
    await transform(warehouse, '2026-07-20T12:35:00.000Z');
    expect(await warehouse.query('SELECT dedup_key FROM curated.fct_feature_events ORDER BY 1')).toEqual([
      { dedup_key: 'dk-monday' },
      { dedup_key: 'dk-new' },
    ]);
  });

  it('is safe to rerun: a second run at the same clock deletes nothing and changes nothing', async () => {
    const first = await transform(warehouse, '2026-07-20T12:05:00.000Z');
    expect(first.models.find((m) => m.model === 'retention')).toMatchObject({ rowsWritten: 2 });
    const before = await snapshot(warehouse, STATE_TABLES);
    const second = await transform(warehouse, '2026-07-20T12:05:00.000Z');
    expect(second.models.find((m) => m.model === 'retention')).toMatchObject({ rowsWritten: 0 });
    expect(await snapshot(warehouse, STATE_TABLES)).toEqual(before);
  });
});
