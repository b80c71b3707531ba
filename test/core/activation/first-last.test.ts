import type { FactDeclaration } from '#core/activation/fact.ts';
import { activityOf, referenceFirstLast, referenceStates, referenceSummary } from './reference.ts';
import {
  type ActivationWorld,
  type ActivitySpec,
  createWorld,
  load,
  runIncremental,
} from './support/harness.ts';
import { readFirstLast, readStates, readSummary } from './support/tables.ts';

const APP_VISIT: FactDeclaration = { name: 'app_visit', description: 'any event' };
const noon = (day: string) => new Date(`${day}T12:00:00Z`);
const RUNS = ['2025-01-08', '2025-01-20', '2025-02-05', '2025-02-20', '2025-03-06', '2025-03-20'];
const EVENTS: Record<string, ActivitySpec[]> = {
  '2025-01-08': [
    { id: 'u1-a', at: '2025-01-06T09:00:00Z', user: 'u1' },
    { id: 'u1-b', at: '2025-01-07T09:00:00Z', user: 'u1' },
  ],
  '2025-03-20': [
    { id: 'u1-c', at: '2025-03-20T08:00:00Z', user: 'u1' },
    { id: 'u2-a', at: '2025-03-20T09:00:00Z', user: 'u2' },
  ],
};

/** Fact and raw tables keep 28 days here, so January's events are gone long before u1 comes back. */
describe('curated.user_first_last beyond the fact retention', () => {
  let world: ActivationWorld;
  beforeAll(async () => {
    world = await createWorld([APP_VISIT], {
      settings: { dailySnapshotDays: 10 },
      transform: { factRetentionDays: 28, rawRetentionDays: 28 },
    });
    for (const run of RUNS) {
      await load(world, EVENTS[run] ?? [], noon(run));
      await runIncremental(world, noon(run));
    }
  });
  afterAll(() => world.warehouse.close());

  const activity = () =>
    activityOf(
      Object.values(EVENTS)
        .flat()
        .map((e) => ({
          dedupKey: e.id,
          eventName: 'feature_used',
          eventTs: e.at,
          receivedAt: e.at,
          userId: e.user ?? null,
          anonymousId: null,
          featureId: null,
        })),
      APP_VISIT,
      new Set(),
    );

  it('has dropped the January events from the fact table', async () => {
    expect(
      await world.warehouse.query(
        `SELECT COUNT(*) AS n FROM curated.fct_feature_events WHERE event_date < DATE '2025-02-01'`,
      ),
    ).toEqual([{ n: 0 }]);
  });

  it('keeps the first active date, as a month snapshot of January and a day snapshot of the return', async () => {
    expect(await readFirstLast(world.warehouse, 'app_visit')).toEqual([
      {
        user_key: 'u1',
        snapshot_date: '2025-01-31',
        snapshot_grain: 'month',
        first_active_date: '2025-01-06',
        last_active_date: '2025-01-07',
        period_first_active_date: '2025-01-06',
        active_days: 2,
      },
      {
        user_key: 'u1',
        snapshot_date: '2025-03-20',
        snapshot_grain: 'day',
        first_active_date: '2025-01-06',
        last_active_date: '2025-03-20',
        period_first_active_date: '2025-03-20',
        active_days: 1,
      },
      {
        user_key: 'u2',
        snapshot_date: '2025-03-20',
        snapshot_grain: 'day',
        first_active_date: '2025-03-20',
        last_active_date: '2025-03-20',
        period_first_active_date: '2025-03-20',
        active_days: 1,
      },
    ]);
    expect(await readFirstLast(world.warehouse, 'app_visit')).toEqual(
      referenceFirstLast(activity(), noon('2025-03-20'), 10),
    );
  });

  it('shows the returning user as Reactivated with the whole gap as return interval, the newcomer as New', async () => {
    const march20 = (await readStates(world.warehouse, 'app_visit', 'day')).filter(
      (r) => r.period_start === '2025-03-20',
    );
    expect(march20.map((r) => [r.user_key, r.transition, r.return_interval, r.first_active_period])).toEqual([
      ['u1', 'Inactive -> Reactivated', 72, '2025-01-06'],
      ['u2', 'None -> New', null, '2025-03-20'],
    ]);
  });

  it('keeps the rows of periods the fact table no longer holds equal to the full-history reference', async () => {
    for (const grain of ['day', 'week', 'month'] as const) {
      const horizon = { day: 30, week: 13, month: 12 }[grain];
      expect(await readStates(world.warehouse, 'app_visit', grain)).toEqual(
        referenceStates(activity(), grain, noon('2025-03-20'), horizon),
      );
      expect(await readSummary(world.warehouse, 'app_visit', grain)).toEqual(
        referenceSummary(activity(), grain, noon('2025-03-20'), horizon),
      );
    }
  });
});
