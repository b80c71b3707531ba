import { WarehouseAcceptedCounts } from '#core/quality/warehouse-accepted-counts.ts';
import type { Warehouse } from '#core/warehouse/ports.ts';
import { duckdbSql } from '#test/support/sql-library.ts';
import { freshWarehouse } from '../../support/warehouse-db.ts';

const t = (iso: string) => new Date(iso);

describe('WarehouseAcceptedCounts', () => {
  let warehouse: Warehouse;
  let counts: WarehouseAcceptedCounts;
  beforeEach(async () => {
    warehouse = await freshWarehouse();
    counts = new WarehouseAcceptedCounts(warehouse, duckdbSql);
  });
  afterEach(() => warehouse.close());

  it('adds counts per source, event name and minute of receipt, summing repeated calls', async () => {
    await counts.add([
      { sourceId: 'web', eventName: 'feature_used', receivedAt: t('2026-03-10T15:00:05.120Z'), count: 3 },
      { sourceId: 'web', eventName: 'feature_used', receivedAt: t('2026-03-10T15:00:59.999Z'), count: 2 },
      { sourceId: 'web', eventName: '', receivedAt: t('2026-03-10T15:01:00.000Z'), count: 1 },
    ]);
    await counts.add([
      { sourceId: 'web', eventName: 'feature_used', receivedAt: t('2026-03-10T15:00:30.000Z'), count: 4 },
    ]);
    const between = await counts.between(t('2026-03-10T15:00:00Z'), t('2026-03-10T15:02:00Z'));
    expect(between.sort((a, b) => a.minute.getTime() - b.minute.getTime())).toEqual([
      { sourceId: 'web', eventName: 'feature_used', minute: t('2026-03-10T15:00:00Z'), accepted: 9 },
      { sourceId: 'web', eventName: '', minute: t('2026-03-10T15:01:00Z'), accepted: 1 },
    ]);
  });

  it('reads minutes in [from, to) only', async () => {
    await counts.add([
      { sourceId: 'ios', eventName: 'screen_viewed', receivedAt: t('2026-03-10T14:59:59Z'), count: 1 },
      { sourceId: 'ios', eventName: 'screen_viewed', receivedAt: t('2026-03-10T15:00:00Z'), count: 2 },
      { sourceId: 'ios', eventName: 'screen_viewed', receivedAt: t('2026-03-10T15:05:00Z'), count: 4 },
    ]);
    const between = await counts.between(t('2026-03-10T15:00:00Z'), t('2026-03-10T15:05:00Z'));
    expect(between.map((c) => c.accepted)).toEqual([2]);
  });

  it('prunes minutes before the cut-off', async () => {
    await counts.add([
      { sourceId: 'ios', eventName: 'screen_viewed', receivedAt: t('2026-02-20T10:00:00Z'), count: 1 },
      { sourceId: 'ios', eventName: 'screen_viewed', receivedAt: t('2026-03-10T10:00:00Z'), count: 1 },
    ]);
    await counts.prune(t('2026-02-24T00:00:00Z'));
    expect(await warehouse.query('SELECT received_minute FROM ops.collector_counts')).toEqual([
      { received_minute: '2026-03-10T10:00:00.000Z' },
    ]);
  });
});
