import type { ValidatedLine } from '#core/contract/envelope.ts';
import type { Warehouse } from '#core/warehouse/ports.ts';
import { preparedWarehouses } from '../../support/warehouse-db.ts';
import { eventLine } from '../../support/warehouse-events.ts';
import { load, transform } from '../../support/warehouse-pipeline.ts';
import { type CohortRow, cohortTable, referenceCohorts } from './reference.ts';

/**
 * Late data restates exactly the cells it changes. Weeks: W1 = 2026-03-02, W2 = 03-09, W3 = 03-16.
 * Before each scenario: u1 first seen in W2 on web (app 1.0, en-US) and active in W3; u2 first seen in W2
 * on web and active in W2 only.
 */

let warehouse: Warehouse;
let loads = 0;

const event = (
  id: string,
  at: string,
  user: string,
  platform: ValidatedLine['platform'],
  app = '1.0',
): ValidatedLine => ({
  ...eventLine({ id, at, user, platform }),
  app_version: app,
  locale: 'en-US',
});

const loadAndRun = async (lines: readonly ValidatedLine[]): Promise<CohortRow[]> => {
  loads += 1;
  const loadedAt = new Date(Date.parse('2026-03-20T00:00:00Z') + loads * 3_600_000).toISOString();
  await load(warehouse, `events/late-${loads}.json`, loadedAt, lines);
  await transform(warehouse, new Date(Date.parse(loadedAt) + 60_000).toISOString());
  return cohortTable(warehouse);
};

const cell = (rows: readonly CohortRow[], cohortWeek: string, platform: string) =>
  rows
    .filter((r) => r.cohort_week === cohortWeek && r.platform === platform)
    .map((r) => [r.weeks_since, r.active_users, r.cohort_users]);

/** Every scenario loads late data into its warehouse: each gets its own copy of the one set up here. */
let setUp: () => Promise<Warehouse>;

beforeAll(async () => {
  setUp = await preparedWarehouses(async (prepared) => {
    warehouse = prepared;
    await loadAndRun([
      event('a1', '2026-03-10T09:00:00Z', 'u1', 'web'),
      event('a2', '2026-03-17T09:00:00Z', 'u1', 'web'),
      event('b1', '2026-03-11T09:00:00Z', 'u2', 'web'),
    ]);
  });
});
beforeEach(async () => {
  warehouse = await setUp();
  // the set-up was the first load: each scenario's late load is the second, an hour after it
  loads = 1;
});
afterEach(() => warehouse.close());

describe('cohort_retention and late data', () => {
  it('starts from the two members of the W2 web cell', async () => {
    expect(cell(await cohortTable(warehouse), '2026-03-09', 'web')).toEqual([
      [0, 2, 2],
      [1, 1, 2],
    ]);
  });

  it('adds a late event in a new week to that week of the cell only', async () => {
    const before = await cohortTable(warehouse);
    const after = await loadAndRun([event('b2', '2026-03-18T09:00:00Z', 'u2', 'web')]);
    const changed = after.filter((r) => !before.some((b) => JSON.stringify(b) === JSON.stringify(r)));
    expect(changed).toEqual([
      expect.objectContaining({
        cohort_week: '2026-03-09',
        weeks_since: 1,
        active_users: 2,
        retained_share: 1,
      }),
    ]);
    expect(after).toEqual(await referenceCohorts(warehouse));
  });

  it('changes nothing for a late event in a week the user was already active in', async () => {
    const before = await cohortTable(warehouse);
    expect(await loadAndRun([event('a3', '2026-03-19T09:00:00Z', 'u1', 'ios')])).toEqual(before);
  });

  it('moves a user whose late event is earlier than their first to the earlier cohort, with all their weeks', async () => {
    const after = await loadAndRun([event('a0', '2026-03-04T09:00:00Z', 'u1', 'ios', '0.9')]);
    // u1 leaves W2/web (u2 alone there), joins W1/ios: active in W1, W2, W3 (weeks since 0, 1, 2)
    expect(cell(after, '2026-03-09', 'web')).toEqual([[0, 1, 1]]);
    expect(cell(after, '2026-03-02', 'ios')).toEqual([
      [0, 1, 1],
      [1, 1, 1],
      [2, 1, 1],
    ]);
    expect(after.find((r) => r.cohort_week === '2026-03-02')?.app_version).toBe('0.9');
    expect(after).toEqual(await referenceCohorts(warehouse));
  });

  it("takes a user's cell from an earlier event of the same week", async () => {
    const after = await loadAndRun([event('b0', '2026-03-09T01:00:00Z', 'u2', 'android')]);
    expect(cell(after, '2026-03-09', 'web')).toEqual([
      [0, 1, 1],
      [1, 1, 1],
    ]);
    expect(cell(after, '2026-03-09', 'android')).toEqual([[0, 1, 1]]);
    expect(after).toEqual(await referenceCohorts(warehouse));
  });

  it('takes a week away when an earlier-received copy moves its only event to another week', async () => {
    // a2 (u1's only event of the week of 03-16) arrives again, received earlier, timed two days before: the
    // fact keeps this copy (within the 2-day dedup window, docs/WAREHOUSE.md), which lies in the cohort week
    const original = event('a2', '2026-03-17T09:00:00Z', 'u1', 'web');
    const after = await loadAndRun([
      { ...original, received_at: '2026-03-17T09:00:00.500Z', event_ts: '2026-03-15T09:00:00.000Z' },
    ]);
    expect(cell(after, '2026-03-09', 'web')).toEqual([[0, 2, 2]]);
    expect(after).toEqual(await referenceCohorts(warehouse));
  });
});
