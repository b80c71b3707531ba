import type { Warehouse } from '#core/warehouse/ports.ts';
import { recordingWarehouse } from '../../support/recording-warehouse.ts';
import { freshWarehouse } from '../../support/warehouse-db.ts';
import { eventLine } from '../../support/warehouse-events.ts';
import { load, transform } from '../../support/warehouse-pipeline.ts';

describe("an activation fact's feature family", () => {
  let warehouse: Warehouse;
  beforeEach(async () => {
    warehouse = await freshWarehouse();
  });
  afterEach(() => warehouse.close());

  it('is read from the closure once per run, not by every statement that filters the fact', async () => {
    await load(warehouse, 'events/a.ndjson.gz', '2026-03-10T12:00:00.000Z', [
      eventLine({ id: 'a', at: '2026-03-10T09:00:00.000Z' }),
      eventLine({
        id: 'b',
        at: '2026-03-10T10:00:00.000Z',
        user: 'user-2',
        feature: 'editor.comments.mention',
      }),
    ]);
    const seen: string[] = [];
    await transform(recordingWarehouse(warehouse, seen), '2026-03-10T12:05:00.000Z');

    const filtering = seen.filter((sql) => sql.includes('AS ff))'));
    const familyReads = seen.filter((sql) => sql.includes('fc.ancestor_id = CAST('));
    // the editor_comments fact filters by family at every grain and in its first/last snapshots
    expect(filtering.length).toBeGreaterThan(5);
    expect(filtering.filter((sql) => sql.includes('curated.feature_closure'))).toEqual([]);
    expect(familyReads).toHaveLength(1);
    // and what it counts is the family's events (the mention is below editor.comments)
    const [counted] = await warehouse.query(
      "SELECT COUNT(*) AS n FROM curated.user_first_last WHERE fact = 'editor_comments'",
    );
    expect(Number(counted?.n)).toBe(2);
  });
});
