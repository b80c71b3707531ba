import type { FactDeclaration } from '#core/activation/fact.ts';
import { FACTS } from '#core/activation/facts.ts';
import { activationModels } from '#core/activation/models.ts';
import { testCatalog } from '../../support/warehouse-events.ts';
import { activityOf, referenceStates, referenceSummary } from './reference.ts';
import { type ActivationWorld, createWorld, load, runIncremental } from './support/harness.ts';
import { randomScenario } from './support/random-activity.ts';
import { readStates, readSummary } from './support/tables.ts';

/** The whole change needed for a new activation fact: this declaration. */
const MENTIONS: FactDeclaration = {
  name: 'mentions',
  description: 'Used @-mentions in comments (feature_used events of editor.comments.mention).',
  eventNames: ['feature_used'],
  featureFamily: 'editor.comments.mention',
  requireFeature: true,
  grains: ['day', 'week'],
};

describe('declaring a new activation fact', () => {
  let world: ActivationWorld;
  const scenario = randomScenario(7, { start: '2025-01-06', days: 60, users: 25, tailDays: 10 });
  beforeAll(async () => {
    world = await createWorld([MENTIONS]);
    for (const delivery of scenario.deliveries) {
      await load(world, delivery.events, new Date(delivery.asOf.getTime() - 60_000));
      await runIncremental(world, delivery.asOf);
    }
  });
  afterAll(() => world.warehouse.close());

  it('adds its FirstLast model, one activation model per declared grain and its span step to the generated models', () => {
    const before = activationModels(FACTS).map((m) => m.name);
    const after = activationModels([...FACTS, MENTIONS]).map((m) => m.name);
    expect(after.filter((name) => !before.includes(name))).toEqual([
      'mentions_first_last',
      'mentions_activation_day',
      'mentions_activation_week',
      'mentions_first_last_span',
    ]);
  });

  it('creates its views, and only for its grains', async () => {
    const views = await world.warehouse.query(
      `SELECT table_name FROM information_schema.tables
       WHERE table_schema = 'curated' AND table_type = 'VIEW' AND table_name LIKE 'mentions%'
       ORDER BY table_name`,
    );
    expect(views.map((v) => v.table_name)).toEqual([
      'mentions_activation_day',
      'mentions_activation_day_summary',
      'mentions_activation_week',
      'mentions_activation_week_summary',
    ]);
  });

  it('builds tables equal to the reference for exactly the events it declares', async () => {
    const asOf = scenario.deliveries.at(-1)!.asOf;
    const activity = activityOf(scenario.events, MENTIONS, new Set(testCatalog().features.map((f) => f.id)));
    const everything = activityOf(scenario.events, { name: 'all', description: 'any event' }, new Set());
    const days = (a: typeof activity) => [...a.values()].reduce((n, set) => n + set.size, 0);
    expect(activity.size).toBeGreaterThan(3);
    expect(days(activity)).toBeLessThan(days(everything) / 3);
    for (const grain of ['day', 'week'] as const) {
      const horizon = { day: 30, week: 13 }[grain];
      const states = await readStates(world.warehouse, 'mentions', grain);
      expect(states).toEqual(referenceStates(activity, grain, asOf, horizon));
      expect(await readSummary(world.warehouse, 'mentions', grain)).toEqual(
        referenceSummary(activity, grain, asOf, horizon),
      );
    }
  });
});
