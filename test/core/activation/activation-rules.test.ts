import type { FactDeclaration } from '#core/activation/fact.ts';
import type { EventSpec } from '../../support/warehouse-events.ts';
import { type ActivationWorld, createWorld, load, runIncremental } from './support/harness.ts';

const APP_VISIT: FactDeclaration = { name: 'app_visit', description: 'any event' };

const visit = (id: string, at: string, user = 'u1'): EventSpec => ({ id, at, user });

const states = async (world: ActivationWorld, view: string) =>
  world.warehouse.query(
    `SELECT period_start, user_key, state, previous_state, transition, is_churned, active_streak,
            return_interval, inactive_duration, first_active_period, last_active_period
     FROM curated.${view} ORDER BY user_key, period_start`,
  );

describe('activation states (DESIGN section 7)', () => {
  let world: ActivationWorld;
  beforeEach(async () => {
    world = await createWorld([APP_VISIT]);
  });
  afterEach(() => world.warehouse.close());

  it('walks a user through New, Retained, churn, Inactive, Reactivated and Retained by day', async () => {
    await load(
      world,
      [
        visit('e1', '2025-03-03T09:00:00Z'),
        visit('e2', '2025-03-04T09:00:00Z'),
        visit('e3', '2025-03-07T09:00:00Z'),
        visit('e4', '2025-03-08T22:00:00Z'),
      ],
      new Date('2025-03-09T00:10:00Z'),
    );
    await runIncremental(world, new Date('2025-03-09T12:00:00Z'));
    const rows = await states(world, 'app_visit_activation_day');
    expect(
      rows.map((r) => [
        r.period_start,
        r.transition,
        r.active_streak,
        r.return_interval,
        r.inactive_duration,
      ]),
    ).toEqual([
      ['2025-03-03', 'None -> New', 1, null, null],
      ['2025-03-04', 'New -> Retained', 2, null, null],
      ['2025-03-05', 'Retained -> Inactive', 0, null, 1],
      ['2025-03-06', 'Inactive -> Inactive', 0, null, 2],
      ['2025-03-07', 'Inactive -> Reactivated', 1, 3, null],
      ['2025-03-08', 'Reactivated -> Retained', 2, null, null],
      ['2025-03-09', 'Retained -> Inactive', 0, null, 1],
    ]);
  });
});
