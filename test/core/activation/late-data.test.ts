import type { FactDeclaration } from '#core/activation/fact.ts';
import { type ActivationWorld, createWorld, load, runIncremental } from './support/harness.ts';
import { readStates, readSummary } from './support/tables.ts';

const APP_VISIT: FactDeclaration = { name: 'app_visit', description: 'any event' };
const at = (day: string, hour = 10) => `${day}T${String(hour).padStart(2, '0')}:00:00Z`;
const day = (iso: string) => new Date(`${iso}T12:00:00Z`);

const transitions = async (world: ActivationWorld, user = 'u1') =>
  (await readStates(world.warehouse, 'app_visit', 'day'))
    .filter((r) => r.user_key === user)
    .map((r) => `${r.period_start} ${r.transition} streak=${r.active_streak}`);

describe('late events', () => {
  let world: ActivationWorld;
  beforeEach(async () => {
    world = await createWorld([APP_VISIT]);
    await load(
      world,
      [
        { id: 'a', at: at('2025-03-03'), user: 'u1' },
        { id: 'b', at: at('2025-03-06'), user: 'u1' },
        { id: 'c', at: at('2025-03-07'), user: 'u1' },
      ],
      day('2025-03-07'),
    );
    await runIncremental(world, day('2025-03-08'));
  });
  afterEach(() => world.warehouse.close());

  it('restates the late event period and every period after it', async () => {
    expect(await transitions(world)).toEqual([
      '2025-03-03 None -> New streak=1',
      '2025-03-04 New -> Inactive streak=0',
      '2025-03-05 Inactive -> Inactive streak=0',
      '2025-03-06 Inactive -> Reactivated streak=1',
      '2025-03-07 Reactivated -> Retained streak=2',
      '2025-03-08 Retained -> Inactive streak=0',
    ]);
    await load(world, [{ id: 'late', at: at('2025-03-05'), user: 'u1' }], day('2025-03-09'));
    await runIncremental(world, day('2025-03-09'));
    expect(await transitions(world)).toEqual([
      '2025-03-03 None -> New streak=1',
      '2025-03-04 New -> Inactive streak=0',
      '2025-03-05 Inactive -> Reactivated streak=1',
      '2025-03-06 Reactivated -> Retained streak=2',
      '2025-03-07 Retained -> Retained streak=3',
      '2025-03-08 Retained -> Inactive streak=0',
      '2025-03-09 Inactive -> Inactive streak=0',
    ]);
  });

  it('moves New to the earlier period when the late event comes before the first activity', async () => {
    await load(world, [{ id: 'early', at: at('2025-03-01'), user: 'u1' }], day('2025-03-09'));
    await runIncremental(world, day('2025-03-09'));
    expect((await transitions(world)).slice(0, 4)).toEqual([
      '2025-03-01 None -> New streak=1',
      '2025-03-02 New -> Inactive streak=0',
      '2025-03-03 Inactive -> Reactivated streak=1',
      '2025-03-04 Reactivated -> Inactive streak=0',
    ]);
    const summary = await readSummary(world.warehouse, 'app_visit', 'day');
    expect(
      summary.map((s) => [s.period_start, s.new_users, s.reactivated_users, s.inactive_users]).slice(0, 3),
    ).toEqual([
      ['2025-03-01', 1, 0, 0],
      ['2025-03-02', 0, 0, 1],
      ['2025-03-03', 0, 1, 0],
    ]);
  });

  it('restates the weekly and monthly tables too', async () => {
    await load(world, [{ id: 'late', at: at('2025-02-20'), user: 'u1' }], day('2025-03-09'));
    await runIncremental(world, day('2025-03-09'));
    const weeks = await readStates(world.warehouse, 'app_visit', 'week');
    expect(weeks.map((w) => `${w.period_start} ${w.transition} ${w.return_interval ?? '-'}`)).toEqual([
      '2025-02-17 None -> New -',
      '2025-02-24 New -> Inactive -',
      '2025-03-03 Inactive -> Reactivated 2',
    ]);
    const months = await readStates(world.warehouse, 'app_visit', 'month');
    expect(months.map((m) => `${m.period_start} ${m.transition} streak=${m.active_streak}`)).toEqual([
      '2025-02-01 None -> New streak=1',
      '2025-03-01 New -> Retained streak=2',
    ]);
  });

  it('changes nothing when the same late file is loaded and run twice', async () => {
    const late = [{ id: 'late', at: at('2025-03-05'), user: 'u1' }];
    await load(world, late, day('2025-03-09'));
    await runIncremental(world, day('2025-03-09'));
    const once = await readStates(world.warehouse, 'app_visit', 'day');
    await load(world, late, new Date('2025-03-09T13:00:00Z'));
    await runIncremental(world, new Date('2025-03-09T14:00:00Z'));
    expect(await readStates(world.warehouse, 'app_visit', 'day')).toEqual(once);
  });

  it('sees the earlier days of a month kept as one snapshot when a very late event lands in it', async () => {
    await world.warehouse.close();
    world = await createWorld([APP_VISIT], {
      settings: { dailySnapshotDays: 10, inactiveHorizon: { day: 2 } },
    });
    await load(
      world,
      [
        { id: 'j3', at: at('2025-01-03'), user: 'u1' },
        { id: 'j28', at: at('2025-01-28'), user: 'u1' },
      ],
      day('2025-01-29'),
    );
    await runIncremental(world, day('2025-01-29'));
    await runIncremental(world, day('2025-03-05'));
    await load(world, [{ id: 'j15', at: at('2025-01-15'), user: 'u1' }], day('2025-03-06'));
    await runIncremental(world, day('2025-03-06'));
    const january15 = (await readStates(world.warehouse, 'app_visit', 'day')).find(
      (r) => r.period_start === '2025-01-15',
    );
    expect(january15).toMatchObject({
      state: 'Reactivated',
      return_interval: 12,
      last_active_period: '2025-01-03',
    });
  });
});
