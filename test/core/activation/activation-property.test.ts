import type { FactDeclaration } from '#core/activation/fact.ts';
import { GRAINS } from '#core/activation/grain.ts';
import { testCatalog } from '../../support/warehouse-events.ts';
import { activityOf, referenceFirstLast, referenceStates, referenceSummary } from './reference.ts';
import { type ActivationWorld, createWorld, load, runIncremental, runRebuild } from './support/harness.ts';
import { identityViolations } from './support/identities.ts';
import { randomScenario, type Scenario } from './support/random-activity.ts';
import { readFirstLast, readStates, readSummary } from './support/tables.ts';

const FACTS: readonly FactDeclaration[] = [
  { name: 'app_visit', description: 'any event' },
  { name: 'editor_comments', description: 'comments family', featureFamily: 'editor.comments' },
];
const HORIZON = { day: 10, week: 4, month: 2 };
const DAILY_SNAPSHOT_DAYS = 20;
const SEED = 20250314;

/**
 * The activation tables, built run by run from random activity with late events, retries, replaced
 * copies and long gaps, equal the plain TypeScript reference computed from the same events, at every
 * grain; a rerun changes nothing and a rebuild gives the same tables.
 */
describe('activation tables against the reference (seeded property)', () => {
  let world: ActivationWorld;
  let scenario: Scenario;
  let asOf: Date;
  const catalogIds = new Set(testCatalog().features.map((f) => f.id));

  beforeAll(async () => {
    world = await createWorld(FACTS, {
      settings: { inactiveHorizon: HORIZON, dailySnapshotDays: DAILY_SNAPSHOT_DAYS },
    });
    scenario = randomScenario(SEED, { start: '2024-11-04', days: 150, users: 40, tailDays: 25 });
    for (const delivery of scenario.deliveries) {
      await load(world, delivery.events, new Date(delivery.asOf.getTime() - 60_000));
      await runIncremental(world, delivery.asOf);
    }
    asOf = scenario.deliveries.at(-1)!.asOf;
  });
  afterAll(() => world.warehouse.close());

  const expectAllMatchReference = async (): Promise<void> => {
    for (const fact of FACTS) {
      const activity = activityOf(scenario.events, fact, catalogIds);
      expect(await readFirstLast(world.warehouse, fact.name)).toEqual(
        referenceFirstLast(activity, asOf, DAILY_SNAPSHOT_DAYS),
      );
      for (const grain of GRAINS) {
        expect(await readStates(world.warehouse, fact.name, grain)).toEqual(
          referenceStates(activity, grain, asOf, HORIZON[grain]),
        );
        expect(await readSummary(world.warehouse, fact.name, grain)).toEqual(
          referenceSummary(activity, grain, asOf, HORIZON[grain]),
        );
      }
    }
  };

  it('builds the scenario it claims: late events, gaps of 30+ days, replaced copies, anonymous users', () => {
    const activity = activityOf(scenario.events, FACTS[0]!, catalogIds);
    const gaps = [...activity.values()].flatMap((days) => {
      const sorted = [...days].sort();
      return sorted.slice(1).map((d, i) => (Date.parse(d) - Date.parse(sorted[i]!)) / 86_400_000);
    });
    const late = scenario.deliveries.flatMap((d) =>
      d.events.filter((e) => d.asOf.getTime() - Date.parse(e.at) > 5 * 86_400_000),
    );
    expect(Math.max(...gaps)).toBeGreaterThanOrEqual(30);
    expect(late.length).toBeGreaterThan(20);
    expect([...activity.keys()].some((u) => u.startsWith('anon:'))).toBe(true);
    expect(new Set(scenario.events.map((e) => e.dedupKey)).size).toBeLessThan(scenario.events.length);
  });

  it('matches the reference for every fact, grain and table after incremental runs', async () => {
    await expectAllMatchReference();
  });

  it('satisfies Active = New + Retained + Reactivated and the period-over-period identity everywhere', async () => {
    for (const fact of FACTS) {
      for (const grain of GRAINS) {
        const summary = await readSummary(world.warehouse, fact.name, grain);
        expect(summary.length).toBeGreaterThan(3);
        expect(identityViolations(summary)).toEqual([]);
        const states = await readStates(world.warehouse, fact.name, grain);
        for (const row of summary) {
          const inPeriod = states.filter((s) => s.period_start === row.period_start);
          expect([row.new_users, row.retained_users, row.reactivated_users, row.churned_users]).toEqual(
            ['New', 'Retained', 'Reactivated']
              .map((state) => inPeriod.filter((s) => s.state === state).length)
              .concat(inPeriod.filter((s) => s.is_churned).length),
          );
        }
      }
    }
  });

  it('changes nothing when the last run is repeated', async () => {
    const before = await Promise.all(
      FACTS.flatMap((f) => GRAINS.map((g) => readStates(world.warehouse, f.name, g))),
    );
    await runIncremental(world, asOf);
    const after = await Promise.all(
      FACTS.flatMap((f) => GRAINS.map((g) => readStates(world.warehouse, f.name, g))),
    );
    expect(after).toEqual(before);
    await expectAllMatchReference();
  });

  it('gives the same tables after a rebuild from raw', async () => {
    await runRebuild(world, asOf);
    await expectAllMatchReference();
  });
});
