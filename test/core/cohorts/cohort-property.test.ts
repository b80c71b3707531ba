import fc from 'fast-check';
import type { ValidatedLine } from '#core/contract/envelope.ts';
import { freshWarehouse } from '../../support/warehouse-db.ts';
import { eventLine } from '../../support/warehouse-events.ts';
import { load, transform } from '../../support/warehouse-pipeline.ts';
import { cohortTable, referenceCohorts } from './reference.ts';

/**
 * curated.cohort_retention, kept incrementally load after load, equals the table computed from scratch
 * (in JavaScript) from the fact, for random histories: five users over four weeks on several platforms,
 * app versions and locales, events arriving late and out of order, copies of an event loaded again, and
 * earlier-received copies that replace the stored one with another time (so a week or a first event can
 * move or vanish).
 */

const START = Date.parse('2026-03-02T00:00:00.000Z'); // a Monday
const HOUR = 3_600_000;
const USERS = ['u1', 'u2', 'u3', 'u4', 'u5', null] as const;
const PLATFORMS = ['web', 'ios', 'android', null] as const;

interface NewEvent {
  readonly kind: 'new';
  readonly user: (typeof USERS)[number];
  readonly hour: number;
  readonly platform: (typeof PLATFORMS)[number];
  readonly app: string | null;
  readonly locale: string | null;
}
interface Copy {
  readonly kind: 'copy';
  readonly of: number;
  /** Received this many minutes before (negative: after) the copy it repeats, timed `shiftHours` apart. */
  readonly receivedEarlierMinutes: number;
  readonly shiftHours: number;
}
type Action = NewEvent | Copy;

const action: fc.Arbitrary<Action> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('new' as const),
      user: fc.constantFrom(...USERS),
      hour: fc.integer({ min: 0, max: 28 * 24 - 1 }),
      platform: fc.constantFrom(...PLATFORMS),
      app: fc.constantFrom('1.0', '2.0', null),
      locale: fc.constantFrom('en-US', 'de-DE', null),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('copy' as const),
      of: fc.nat(),
      receivedEarlierMinutes: fc.integer({ min: -30, max: 30 }),
      shiftHours: fc.integer({ min: -240, max: 240 }),
    }),
  },
);

const iso = (ms: number) => new Date(ms).toISOString();

/** The loads' lines: new events, and copies of earlier ones (by index into the events made so far). */
const linesOf = (loads: readonly Action[][]): ValidatedLine[][] => {
  const made: ValidatedLine[] = [];
  return loads.map((actions, k) =>
    actions.flatMap((a) => {
      if (a.kind === 'copy') {
        const original = made[a.of % Math.max(1, made.length)];
        if (!original) return [];
        const at = Date.parse(original.event_ts) + a.shiftHours * HOUR;
        const copy: ValidatedLine = {
          ...original,
          received_at: iso(Date.parse(original.received_at) - a.receivedEarlierMinutes * 60_000),
          event_ts: iso(Math.min(Math.max(at, START), START + 28 * 24 * HOUR - 1)),
        };
        return [copy];
      }
      const at = START + a.hour * HOUR;
      const line: ValidatedLine = {
        ...eventLine({
          id: `e${k}-${made.length}`,
          at: iso(at),
          receivedAt: iso(START + 40 * 24 * HOUR + k * HOUR),
          user: a.user,
          platform: a.platform,
        }),
        app_version: a.app,
        locale: a.locale,
      };
      made.push(line);
      return [line];
    }),
  );
};

describe('cohort_retention kept incrementally', () => {
  it('equals the cohorts computed from the fact after every load of a random history', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(action, { minLength: 1, maxLength: 10 }), { minLength: 1, maxLength: 3 }),
        async (loads) => {
          const warehouse = await freshWarehouse();
          try {
            const batches = linesOf(loads);
            for (const [k, lines] of batches.entries()) {
              if (lines.length === 0) continue;
              const loadedAt = START + 41 * 24 * HOUR + k * HOUR;
              await load(warehouse, `events/load-${k}.json`, iso(loadedAt), lines);
              await transform(warehouse, iso(loadedAt + 60_000));
              expect(await cohortTable(warehouse)).toEqual(await referenceCohorts(warehouse));
            }
          } finally {
            await warehouse.close();
          }
        },
      ),
      { seed: 20260315, numRuns: 4, endOnFailure: true },
    );
  }, 600_000);
});
