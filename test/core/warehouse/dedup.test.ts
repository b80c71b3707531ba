import { dedupWindowCheck } from '#core/quality/checks/dedup-window.ts';
import type { Warehouse } from '#core/warehouse/ports.ts';
import { CURATED_TABLES, freshWarehouse, snapshot } from '../../support/warehouse-db.ts';
import { eventLine } from '../../support/warehouse-events.ts';
import { load, rebuild, transform } from '../../support/warehouse-pipeline.ts';
import { failures, runCheck } from '../quality/support/run-check.ts';

const mention = eventLine({ id: 'e-mention', at: '2026-03-10T09:00:00.000Z', user: 'u1' });
const reply = eventLine({
  id: 'e-reply',
  at: '2026-03-10T10:00:00.000Z',
  user: 'u2',
  feature: 'editor.comments.reply',
});

/** How many times the mention event is counted in each table. */
const mentionCounts = async (warehouse: Warehouse) => {
  const one = async (sql: string) => Object.values((await warehouse.query(sql))[0] ?? {})[0];
  return {
    fact: await one("SELECT count(*) FROM curated.fct_feature_events WHERE dedup_key = 'dk-e-mention'"),
    daily: await one(
      "SELECT events FROM curated.feature_usage_daily WHERE feature_id = 'editor.comments.mention' AND platform = 'all'",
    ),
    weekly: await one(
      "SELECT events FROM curated.feature_usage_weekly WHERE feature_id = 'editor.comments.mention' AND platform = 'all'",
    ),
    parentDaily: await one(
      "SELECT events FROM curated.feature_usage_daily WHERE feature_id = 'editor.comments' AND platform = 'all'",
    ),
    lastSeen: await one(
      "SELECT lifetime_events FROM curated.user_feature_last_seen WHERE user_key = 'u1' AND feature_id = 'editor.comments.mention'",
    ),
    workspaceUser: await one(
      "SELECT lifetime_events FROM curated.workspace_user_last_seen WHERE user_key = 'u1'",
    ),
  };
};

const ONCE = { fact: 1, daily: 1, weekly: 1, parentDaily: 2, lastSeen: 1, workspaceUser: 1 };

describe('deduplication', () => {
  let warehouse: Warehouse;
  beforeEach(async () => {
    warehouse = await freshWarehouse();
  });
  afterEach(() => warehouse.close());

  it('counts an event once everywhere when it arrives in two files of one load', async () => {
    await load(warehouse, 'events/a.ndjson.gz', '2026-03-10T11:00:00.000Z', [mention, reply]);
    await load(warehouse, 'events/b.ndjson.gz', '2026-03-10T11:00:00.000Z', [mention]);
    await transform(warehouse, '2026-03-10T11:05:00.000Z');
    expect(await mentionCounts(warehouse)).toEqual(ONCE);
  });

  it('counts an event once everywhere when the same file is loaded again by a later load', async () => {
    await load(warehouse, 'events/a.ndjson.gz', '2026-03-10T11:00:00.000Z', [mention, reply]);
    await transform(warehouse, '2026-03-10T11:05:00.000Z');
    await load(warehouse, 'events/a.ndjson.gz', '2026-03-10T12:00:00.000Z', [mention, reply]);
    await transform(warehouse, '2026-03-10T12:05:00.000Z');
    expect(await mentionCounts(warehouse)).toEqual(ONCE);
  });

  it('counts a client retry once and keeps the copy received first', async () => {
    const retry = { ...mention, received_at: '2026-03-10T09:30:00.000Z' };
    await load(warehouse, 'events/a.ndjson.gz', '2026-03-10T11:00:00.000Z', [mention, reply]);
    await transform(warehouse, '2026-03-10T11:05:00.000Z');
    await load(warehouse, 'events/b.ndjson.gz', '2026-03-10T12:00:00.000Z', [retry]);
    await load(warehouse, 'events/c.ndjson.gz', '2026-03-10T12:00:00.000Z', [retry]);
    await transform(warehouse, '2026-03-10T12:05:00.000Z');
    expect(await mentionCounts(warehouse)).toEqual(ONCE);
    expect(
      await warehouse.query(
        "SELECT received_at, file_name FROM curated.fct_feature_events WHERE dedup_key = 'dk-e-mention'",
      ),
    ).toEqual([{ received_at: mention.received_at, file_name: 'events/a.ndjson.gz' }]);
  });

  it('stores a copy dated beyond the 2-day dedup window as a second event, and the dedup-window check names its key', async () => {
    // a retry without a client clock four days later: its event day is its receipt day
    const late = {
      ...mention,
      event_ts: '2026-03-14T09:00:00.000Z',
      received_at: '2026-03-14T09:00:00.000Z',
    };
    await load(warehouse, 'events/a.ndjson.gz', '2026-03-10T11:00:00.000Z', [mention]);
    await transform(warehouse, '2026-03-10T11:05:00.000Z');
    // another load in between, so the last run's overlap does not read the first copy again
    await load(warehouse, 'events/c.ndjson.gz', '2026-03-12T11:00:00.000Z', [reply]);
    await transform(warehouse, '2026-03-12T11:05:00.000Z');
    await load(warehouse, 'events/b.ndjson.gz', '2026-03-14T10:00:00.000Z', [late]);
    await transform(warehouse, '2026-03-14T10:05:00.000Z');
    expect((await mentionCounts(warehouse)).fact).toBe(2);
    const run = await runCheck(warehouse, dedupWindowCheck(), { now: new Date('2026-03-14T12:00:00.000Z') });
    expect(failures(run)).toEqual([['curated.fct_feature_events', ['dk-e-mention']]]);
  });

  it('replaces a stored copy when an earlier-received copy is loaded later, moving its counts to the right day', async () => {
    // The retry (received the next day, no client clock: event_ts = received_at) is loaded first;
    // the original arrives in a delayed file. The original wins, on its own day, as in a rebuild.
    const late = {
      ...mention,
      received_at: '2026-03-11T08:00:00.000Z',
      event_ts: '2026-03-11T08:00:00.000Z',
    };
    await load(warehouse, 'events/retry.ndjson.gz', '2026-03-11T08:10:00.000Z', [late, reply]);
    await transform(warehouse, '2026-03-11T08:15:00.000Z');
    await load(warehouse, 'events/delayed.ndjson.gz', '2026-03-11T09:00:00.000Z', [mention]);
    await transform(warehouse, '2026-03-11T09:05:00.000Z');
    expect(await mentionCounts(warehouse)).toEqual(ONCE);
    expect(
      await warehouse.query(
        "SELECT DISTINCT event_date FROM curated.feature_usage_daily WHERE feature_id = 'editor.comments.mention'",
      ),
    ).toEqual([{ event_date: '2026-03-10' }]);
    const incremental = await snapshot(warehouse, CURATED_TABLES);
    await rebuild(warehouse, '2026-03-11T09:05:00.000Z');
    expect(await snapshot(warehouse, CURATED_TABLES)).toEqual(incremental);
  });
});
