import { createFeatureCatalog } from '#core/schema/feature-catalog.ts';
import type { Warehouse } from '#core/warehouse/ports.ts';
import { CURATED_TABLES, freshWarehouse, snapshot } from '../../support/warehouse-db.ts';
import { eventLine, testCatalog } from '../../support/warehouse-events.ts';
import { load, rebuild, transform } from '../../support/warehouse-pipeline.ts';

/** The test catalog plus editor.ghost, a feature clients already send. */
const extendedCatalog = () =>
  createFeatureCatalog({
    features: [
      ...testCatalog().features.map((f) => ({ ...f, parent: f.parent })),
      {
        id: 'editor.ghost',
        name: 'Ghost text',
        parent: 'editor',
        owner: 'team-ai',
        status: 'beta',
        aliases: [],
      },
    ],
  });

describe('catalog sync', () => {
  let warehouse: Warehouse;
  beforeEach(async () => {
    warehouse = await freshWarehouse();
    await load(warehouse, 'events/a.ndjson.gz', '2026-03-10T12:00:00.000Z', [
      eventLine({
        id: 'a',
        at: '2026-03-09T09:00:00.000Z',
        user: 'u1',
        feature: 'editor.ghost',
        known: false,
      }),
      eventLine({ id: 'b', at: '2026-03-10T09:00:00.000Z', user: 'u2', feature: 'editor.comments.mention' }),
      eventLine({
        id: 'c',
        at: '2026-03-10T10:00:00.000Z',
        user: 'u3',
        feature: 'sharing.link',
        workspace: 'ws-other',
      }),
    ]);
    await transform(warehouse, '2026-03-10T12:05:00.000Z');
  });
  afterEach(() => warehouse.close());

  it('syncs dim_feature and a closure that includes every feature itself', async () => {
    expect(
      await warehouse.query(
        "SELECT feature_id, parent_id, level, owner, status, aliases FROM curated.dim_feature WHERE feature_id LIKE 'editor.comments%' ORDER BY 1",
      ),
    ).toEqual([
      {
        feature_id: 'editor.comments',
        parent_id: 'editor',
        level: 2,
        owner: 'team-collab',
        status: 'active',
        aliases: [],
      },
      {
        feature_id: 'editor.comments.mention',
        parent_id: 'editor.comments',
        level: 3,
        owner: 'team-collab',
        status: 'active',
        aliases: ['mention'],
      },
      {
        feature_id: 'editor.comments.reply',
        parent_id: 'editor.comments',
        level: 3,
        owner: 'team-collab',
        status: 'active',
        aliases: [],
      },
    ]);
    expect(
      await warehouse.query(
        "SELECT ancestor_id, distance FROM curated.feature_closure WHERE feature_id = 'editor.comments.mention' ORDER BY distance",
      ),
    ).toEqual([
      { ancestor_id: 'editor.comments.mention', distance: 0 },
      { ancestor_id: 'editor.comments', distance: 1 },
      { ancestor_id: 'editor', distance: 2 },
    ]);
  });

  it('moves the events of a newly catalogued feature under its parents, as a rebuild would', async () => {
    await transform(warehouse, '2026-03-10T12:10:00.000Z', { catalog: extendedCatalog() });
    expect(
      await warehouse.query(
        "SELECT event_date, feature_id, feature_known, users FROM curated.feature_usage_daily WHERE platform = 'all' AND feature_id IN ('editor', 'editor.ghost') ORDER BY 1, 2",
      ),
    ).toEqual([
      { event_date: '2026-03-09', feature_id: 'editor', feature_known: true, users: 1 },
      { event_date: '2026-03-09', feature_id: 'editor.ghost', feature_known: true, users: 1 },
      { event_date: '2026-03-10', feature_id: 'editor', feature_known: true, users: 1 },
    ]);
    const incremental = await snapshot(warehouse, CURATED_TABLES);
    await rebuild(warehouse, '2026-03-10T12:15:00.000Z', { catalog: extendedCatalog() });
    expect(await snapshot(warehouse, CURATED_TABLES)).toEqual(incremental);
  });

  it('recomputes only the keys of the features whose ancestors changed', async () => {
    const report = await transform(warehouse, '2026-03-10T12:10:00.000Z', { catalog: extendedCatalog() });
    const weekly = report.models.find((m) => m.model === 'feature_usage_weekly');
    // Only u1's ghost event (one workspace, one week) is queued; ws-other is untouched.
    expect(weekly).toMatchObject({ rowsRead: 1 });
  });

  it('leaves the catalog tables alone when the catalog has not changed', async () => {
    const report = await transform(warehouse, '2026-03-10T12:10:00.000Z');
    expect(report.models.filter((m) => m.model === 'dim_feature' || m.model === 'feature_closure')).toEqual([
      expect.objectContaining({ rowsWritten: 0 }),
      expect.objectContaining({ rowsWritten: 0 }),
    ]);
  });
});
