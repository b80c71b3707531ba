import type { Warehouse } from '#core/warehouse/ports.ts';
import { recordingWarehouse } from '../../support/recording-warehouse.ts';
import { freshWarehouse, snapshot } from '../../support/warehouse-db.ts';
import { eventLine } from '../../support/warehouse-events.ts';
import { load, transform } from '../../support/warehouse-pipeline.ts';

// someone active in the month before: every recomputed period has a summarised period before it
const FIRST = [
  eventLine({ id: 'z', at: '2026-02-20T09:00:00.000Z' }),
  eventLine({ id: 'a', at: '2026-03-09T09:00:00.000Z' }),
  eventLine({ id: 'b', at: '2026-03-09T10:00:00.000Z', user: 'user-2' }),
  eventLine({ id: 'c', at: '2026-03-10T09:00:00.000Z', user: 'user-3' }),
];
// user-2 again, and a late event of user-3 before their first one: both restate periods already summarised
const SECOND = [
  eventLine({ id: 'd', at: '2026-03-11T08:00:00.000Z', user: 'user-2' }),
  eventLine({ id: 'e', at: '2026-03-09T08:00:00.000Z', user: 'user-3' }),
];
const recount = (sql: string) =>
  sql.includes('INSERT INTO work.activation_counts') && sql.includes('FROM curated.activation_states');
const delta = (sql: string) =>
  sql.includes('INSERT INTO work.activation_counts') && sql.includes('FROM work.activation_rows');

describe('the activation summary of an incremental run', () => {
  let warehouse: Warehouse;
  let once: Warehouse;
  beforeEach(async () => {
    [warehouse, once] = await Promise.all([freshWarehouse(), freshWarehouse()]);
  });
  afterEach(async () => {
    await warehouse.close();
    await once.close();
  });

  it("adds the rows it derives again and takes out the rows they replace, without recounting every user's rows", async () => {
    await load(warehouse, 'events/1.ndjson.gz', '2026-03-10T12:00:00.000Z', FIRST);
    await transform(warehouse, '2026-03-10T12:05:00.000Z');
    await load(warehouse, 'events/2.ndjson.gz', '2026-03-11T12:00:00.000Z', SECOND);
    const seen: string[] = [];
    await transform(recordingWarehouse(warehouse, seen), '2026-03-11T12:05:00.000Z');

    expect(seen.filter(recount)).toEqual([]);
    // every fact at every grain: 3 facts x 3 grains
    expect(seen.filter(delta)).toHaveLength(9);
    // and the summary is the one a single run over both files gives
    await load(once, 'events/1.ndjson.gz', '2026-03-10T12:00:00.000Z', FIRST);
    await load(once, 'events/2.ndjson.gz', '2026-03-11T12:00:00.000Z', SECOND);
    await transform(once, '2026-03-11T12:05:00.000Z');
    const tables = ['curated.activation_summary', 'curated.activation_states'];
    expect(await snapshot(warehouse, tables)).toEqual(await snapshot(once, tables));
  });

  it('recounts the state rows on the first run, which has no stored summary to add to', async () => {
    await load(warehouse, 'events/1.ndjson.gz', '2026-03-10T12:00:00.000Z', FIRST);
    const seen: string[] = [];
    await transform(recordingWarehouse(warehouse, seen), '2026-03-10T12:05:00.000Z');

    expect(seen.filter(delta)).toEqual([]);
    expect(seen.filter(recount).length).toBeGreaterThan(0);
  });
});
