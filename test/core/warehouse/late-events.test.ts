import type { Row, Warehouse } from '#core/warehouse/ports.ts';
import { CURATED_TABLES, changedRows, freshWarehouse, snapshot } from '../../support/warehouse-db.ts';
import { eventLine } from '../../support/warehouse-events.ts';
import { load, transform } from '../../support/warehouse-pipeline.ts';

/** A week of history in two workspaces; u1 is active in ws-acme throughout. */
const history = () => {
  const lines = [];
  for (let day = 2; day <= 12; day++) {
    const date = `2026-03-${String(day).padStart(2, '0')}`;
    lines.push(
      eventLine({ id: `m-${day}`, at: `${date}T09:00:00.000Z`, user: 'u1' }),
      eventLine({
        id: `b-${day}`,
        at: `${date}T10:00:00.000Z`,
        user: 'u2',
        feature: 'editor.formatting.bold',
        platform: 'ios',
      }),
      eventLine({
        id: `o-${day}`,
        at: `${date}T11:00:00.000Z`,
        user: 'u9',
        workspace: 'ws-other',
        feature: 'sharing.link',
      }),
    );
  }
  return lines;
};

const ANCESTORS = ['editor.comments.reply', 'editor.comments', 'editor'];

describe('late events', () => {
  let warehouse: Warehouse;
  beforeEach(async () => {
    warehouse = await freshWarehouse();
    await load(warehouse, 'events/history.ndjson.gz', '2026-03-12T12:00:00.000Z', history());
    await transform(warehouse, '2026-03-12T12:05:00.000Z');
  });
  afterEach(() => warehouse.close());

  it('an event 70 hours late changes its own day, week, adoption and last-seen rows and no others', async () => {
    const before = await snapshot(warehouse, CURATED_TABLES);
    const late = eventLine({
      id: 'late-70h',
      at: '2026-03-09T15:00:00.000Z',
      receivedAt: '2026-03-12T13:00:00.000Z',
      user: 'u1',
      feature: 'editor.comments.reply',
    });
    await load(warehouse, 'events/late.ndjson.gz', '2026-03-12T13:05:00.000Z', [late]);
    await transform(warehouse, '2026-03-12T13:10:00.000Z');
    const after = await snapshot(warehouse, CURATED_TABLES);

    const diff = (table: string) => changedRows(before[table] ?? [], after[table] ?? []);
    const own = (row: Row, period?: [string, string]) =>
      row.workspace_id === 'ws-acme' &&
      ANCESTORS.includes(String(row.feature_id)) &&
      (period === undefined || row[period[0]] === period[1]);

    expect(diff('curated.fct_feature_events').after).toEqual([
      expect.objectContaining({
        dedup_key: 'dk-late-70h',
        event_date: '2026-03-09',
        is_late_beyond_window: false,
      }),
    ]);
    const daily = diff('curated.feature_usage_daily');
    expect(daily.before.every((r) => own(r, ['event_date', '2026-03-09']))).toBe(true);
    expect(daily.after.every((r) => own(r, ['event_date', '2026-03-09']))).toBe(true);
    expect(daily.after).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          feature_id: 'editor.comments.reply',
          platform: 'all',
          events: 1,
          users: 1,
        }),
        expect.objectContaining({ feature_id: 'editor', platform: 'all', events: 3, users: 2 }),
      ]),
    );
    const weekly = diff('curated.feature_usage_weekly');
    expect([...weekly.before, ...weekly.after].every((r) => own(r, ['week_start', '2026-03-09']))).toBe(true);
    expect(weekly.after).toContainEqual(
      expect.objectContaining({ feature_id: 'editor.comments.reply', platform: 'web', events: 1 }),
    );
    const adoption = diff('curated.feature_adoption_by_workspace');
    expect([...adoption.before, ...adoption.after].every((r) => own(r))).toBe(true);
    expect(adoption.after).toContainEqual(
      expect.objectContaining({
        feature_id: 'editor.comments.reply',
        first_used: '2026-03-09',
        users_28d: 1,
      }),
    );
    const lastSeen = diff('curated.user_feature_last_seen');
    expect([...lastSeen.before, ...lastSeen.after].every((r) => own(r) && r.user_key === 'u1')).toBe(true);
    expect(lastSeen.after).toContainEqual(
      expect.objectContaining({
        feature_id: 'editor.comments',
        first_seen: '2026-03-02',
        last_seen: '2026-03-12',
        lifetime_events: 12,
      }),
    );
    expect(diff('curated.workspace_user_last_seen')).toEqual({
      before: [expect.objectContaining({ workspace_id: 'ws-acme', user_key: 'u1', lifetime_events: 11 })],
      after: [expect.objectContaining({ workspace_id: 'ws-acme', user_key: 'u1', lifetime_events: 12 })],
    });
    for (const table of ['curated.dim_feature', 'curated.feature_closure'])
      expect(diff(table).after).toEqual([]);
  });

  it('stores an event more than 72 hours late, flags it, and counts it in its own day', async () => {
    const late = eventLine({
      id: 'late-80h',
      at: '2026-03-09T05:00:00.000Z',
      receivedAt: '2026-03-12T13:00:00.000Z',
      user: 'u3',
    });
    await load(warehouse, 'events/late.ndjson.gz', '2026-03-12T13:05:00.000Z', [late]);
    await transform(warehouse, '2026-03-12T13:10:00.000Z');
    expect(
      await warehouse.query(
        "SELECT event_date, is_late_beyond_window FROM curated.fct_feature_events WHERE dedup_key = 'dk-late-80h'",
      ),
    ).toEqual([{ event_date: '2026-03-09', is_late_beyond_window: true }]);
    expect(
      await warehouse.query(
        "SELECT events, users FROM curated.feature_usage_daily WHERE event_date = '2026-03-09' AND feature_id = 'editor.comments.mention' AND platform = 'all'",
      ),
    ).toEqual([{ events: 2, users: 2 }]);
  });
});
