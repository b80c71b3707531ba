import type { FactDeclaration } from '#core/activation/fact.ts';
import type { EventSpec } from '../../support/warehouse-events.ts';
import { type ActivationWorld, createWorld, load, runIncremental } from './support/harness.ts';
import { readFirstLast, readStates, readSummary } from './support/tables.ts';

const APP_VISIT: FactDeclaration = { name: 'app_visit', description: 'any event' };

const visit = (id: string, at: string, user = 'u1'): EventSpec => ({ id, at, user });

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
    const rows = await readStates(world.warehouse, 'app_visit', 'day');
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

  it('lists an inactive user for the horizon only, yet counts them inactive in the summary', async () => {
    await world.warehouse.close();
    world = await createWorld([APP_VISIT], { settings: { inactiveHorizon: { week: 2 } } });
    await load(world, [visit('e1', '2025-03-04T09:00:00Z')], new Date('2025-03-04T10:00:00Z'));
    await runIncremental(world, new Date('2025-03-05T00:00:00Z'));
    await runIncremental(world, new Date('2025-03-19T00:00:00Z'));
    await runIncremental(world, new Date('2025-04-02T00:00:00Z'));
    const weeks = await readStates(world.warehouse, 'app_visit', 'week');
    expect(weeks.map((w) => [w.period_start, w.state, w.is_churned, w.inactive_duration])).toEqual([
      ['2025-03-03', 'New', false, null],
      ['2025-03-10', 'Inactive', true, 1],
      ['2025-03-17', 'Inactive', false, 2],
    ]);
    const summary = await readSummary(world.warehouse, 'app_visit', 'week');
    expect(summary.map((s) => [s.period_start, s.active_users, s.churned_users, s.inactive_users])).toEqual([
      ['2025-03-03', 1, 0, 0],
      ['2025-03-10', 0, 1, 1],
      ['2025-03-17', 0, 0, 1],
      ['2025-03-24', 0, 0, 1],
      ['2025-03-31', 0, 0, 1],
    ]);
  });

  it('counts one user across workspaces and anonymous visitors by their anonymous id', async () => {
    await load(
      world,
      [
        { id: 'w1', at: '2025-03-03T09:00:00Z', user: 'u1', workspace: 'ws-a' },
        { id: 'w2', at: '2025-03-04T09:00:00Z', user: 'u1', workspace: 'ws-b' },
        { id: 'an', at: '2025-03-04T09:00:00Z', user: null, anonymousId: 'device-9' },
        { id: 'no', at: '2025-03-04T09:00:00Z', user: null, anonymousId: null },
      ],
      new Date('2025-03-04T12:00:00Z'),
    );
    await runIncremental(world, new Date('2025-03-04T12:00:00Z'));
    const rows = await readStates(world.warehouse, 'app_visit', 'day');
    expect(rows.map((r) => [r.user_key, r.period_start, r.state])).toEqual([
      ['anon:device-9', '2025-03-04', 'New'],
      ['u1', '2025-03-03', 'New'],
      ['u1', '2025-03-04', 'Retained'],
    ]);
  });

  it('rebuilds a fact whose filter changed from the fact table, under the new definition', async () => {
    await load(
      world,
      [
        { id: 'c1', at: '2025-03-03T09:00:00Z', user: 'u1', feature: 'editor.comments.reply' },
        { id: 'c2', at: '2025-03-04T09:00:00Z', user: 'u2', feature: 'sharing.link' },
      ],
      new Date('2025-03-04T12:00:00Z'),
    );
    await runIncremental(world, new Date('2025-03-04T12:00:00Z'));
    expect((await readFirstLast(world.warehouse, 'app_visit')).map((r) => r.user_key)).toEqual(['u1', 'u2']);
    const narrowed = { ...APP_VISIT, featureFamily: 'sharing' };
    world = { ...world, facts: [narrowed] };
    await runIncremental(world, new Date('2025-03-04T13:00:00Z'));
    expect((await readFirstLast(world.warehouse, 'app_visit')).map((r) => r.user_key)).toEqual(['u2']);
    expect(
      (await readStates(world.warehouse, 'app_visit', 'day')).map((r) => [r.user_key, r.period_start]),
    ).toEqual([['u2', '2025-03-04']]);
  });
});
