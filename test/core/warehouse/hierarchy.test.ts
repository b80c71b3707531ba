import type { Warehouse } from '#core/warehouse/ports.ts';
import { freshWarehouse } from '../../support/warehouse-db.ts';
import { eventLine } from '../../support/warehouse-events.ts';
import { load, transform } from '../../support/warehouse-pipeline.ts';

const DAY = '2026-03-10';
const at = (hour: number) => `${DAY}T${String(hour).padStart(2, '0')}:00:00.000Z`;

describe('feature hierarchy', () => {
  let warehouse: Warehouse;
  beforeAll(async () => {
    warehouse = await freshWarehouse();
    // Built so that summing children over-counts at every level: u1 uses three leaves on two platforms.
    await load(warehouse, 'events/a.ndjson.gz', `${DAY}T20:00:00.000Z`, [
      eventLine({ id: '1', at: at(8), user: 'u1', feature: 'editor.comments.mention', platform: 'web' }),
      eventLine({ id: '2', at: at(9), user: 'u1', feature: 'editor.comments.reply', platform: 'ios' }),
      eventLine({ id: '3', at: at(10), user: 'u1', feature: 'editor.formatting.bold', platform: 'web' }),
      eventLine({ id: '4', at: at(11), user: 'u2', feature: 'editor.comments.reply', platform: 'web' }),
      eventLine({
        id: '5',
        at: at(12),
        user: null,
        anonymousId: 'device-9',
        feature: 'editor.comments.mention',
        platform: 'android',
      }),
      eventLine({
        id: '6',
        at: at(13),
        user: 'u1',
        feature: 'editor.ghost_feature',
        known: false,
        platform: 'web',
      }),
    ]);
    await transform(warehouse, `${DAY}T20:05:00.000Z`);
  });
  afterAll(() => warehouse.close());

  const usage = async (platform: string) =>
    Object.fromEntries(
      (
        await warehouse.query<{ feature_id: string; users: number; events: number }>(
          `SELECT feature_id, users, events FROM curated.feature_usage_daily WHERE platform = '${platform}' ORDER BY feature_id`,
        )
      ).map((r) => [r.feature_id, [r.users, r.events]]),
    );

  it('counts a parent feature’s users distinct across its subtree, never summed from its children', async () => {
    expect(await usage('all')).toEqual({
      editor: [3, 5],
      'editor.comments': [3, 4],
      'editor.comments.mention': [2, 2],
      'editor.comments.reply': [2, 2],
      'editor.formatting': [1, 1],
      'editor.formatting.bold': [1, 1],
      'editor.ghost_feature': [1, 1],
    });
  });

  it('counts users distinct across platforms in the platform "all" row', async () => {
    expect(await usage('web')).toMatchObject({ editor: [2, 3], 'editor.comments': [2, 2] });
    expect(await usage('ios')).toMatchObject({ editor: [1, 1] });
    expect(await usage('android')).toMatchObject({ editor: [1, 1] });
  });

  it('counts an unknown feature at its own id only, flagged, and not in its would-be parent', async () => {
    const rows = await warehouse.query(
      "SELECT feature_known FROM curated.feature_usage_daily WHERE feature_id = 'editor.ghost_feature' AND platform = 'all'",
    );
    expect(rows).toEqual([{ feature_known: false }]);
    expect((await usage('all')).editor).toEqual([3, 5]);
  });

  it('keeps parents distinct in the weekly table and in adoption too', async () => {
    expect(
      await warehouse.query(
        "SELECT feature_id, users FROM curated.feature_usage_weekly WHERE platform = 'all' AND feature_id IN ('editor', 'editor.comments') ORDER BY feature_id",
      ),
    ).toEqual([
      { feature_id: 'editor', users: 3 },
      { feature_id: 'editor.comments', users: 3 },
    ]);
    expect(
      await warehouse.query(
        "SELECT feature_id, users_7d, users_28d, workspace_active_users_28d, adoption_rate FROM curated.feature_adoption_by_workspace WHERE feature_id IN ('editor', 'editor.formatting') ORDER BY feature_id",
      ),
    ).toEqual([
      { feature_id: 'editor', users_7d: 3, users_28d: 3, workspace_active_users_28d: 3, adoption_rate: 1 },
      {
        feature_id: 'editor.formatting',
        users_7d: 1,
        users_28d: 1,
        workspace_active_users_28d: 3,
        adoption_rate: 1 / 3,
      },
    ]);
  });

  it('falls back to the anonymous id for users never identified', async () => {
    expect(
      await warehouse.query(
        "SELECT user_key, feature_id FROM curated.user_feature_last_seen WHERE user_key LIKE 'anon:%' ORDER BY feature_id",
      ),
    ).toEqual([
      { user_key: 'anon:device-9', feature_id: 'editor' },
      { user_key: 'anon:device-9', feature_id: 'editor.comments' },
      { user_key: 'anon:device-9', feature_id: 'editor.comments.mention' },
    ]);
  });
});
