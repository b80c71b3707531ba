import { MODELS } from '#core/warehouse/models/index.ts';
import type { Warehouse } from '#core/warehouse/ports.ts';
import { withQueryTag } from '#core/warehouse/query-tag.ts';
import { freshWarehouse } from '../../support/warehouse-db.ts';
import { eventLine } from '../../support/warehouse-events.ts';
import { load, transform } from '../../support/warehouse-pipeline.ts';

/** A warehouse that records the tag of every statement it runs, as Snowflake's QUERY_HISTORY would. */
const recordingTags = (
  inner: Warehouse,
  seen: Set<string>,
  tag = 'tally',
): Warehouse & { withQueryTag(s: string): Warehouse } => ({
  dialect: inner.dialect,
  execute: (sql, params) => {
    seen.add(tag);
    return inner.execute(sql, params);
  },
  query: (sql, params) => {
    seen.add(tag);
    return inner.query(sql, params);
  },
  transaction: (work) => inner.transaction((tx) => work(recordingTags(tx, seen, tag))),
  withQueryTag: (suffix) => recordingTags(inner, seen, `${tag}:${suffix}`),
  close: () => inner.close(),
});

describe('query tags', () => {
  it('leaves a warehouse without tags as it is', async () => {
    const warehouse = await freshWarehouse();
    expect(withQueryTag(warehouse, 'x')).toBe(warehouse);
    await warehouse.close();
  });

  it('tags each model’s statements with the model name on warehouses that support tags', async () => {
    const inner = await freshWarehouse();
    const seen = new Set<string>();
    await load(inner, 'events/a.ndjson.gz', '2026-03-10T12:00:00.000Z', [
      eventLine({ id: 'a', at: '2026-03-10T09:00:00.000Z' }),
    ]);
    await transform(recordingTags(inner, seen), '2026-03-10T12:05:00.000Z');
    expect([...seen].filter((t) => t.startsWith('tally:')).sort()).toEqual(
      MODELS.map((m) => `tally:${m.name}`).sort(),
    );
    expect(seen).toContain('tally:app_visit_activation_week');
    await inner.close();
  });
});
