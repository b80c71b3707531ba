import { Prng } from '#demo/prng.ts';
import type { RefEvent } from '../reference.ts';
import type { ActivitySpec } from './harness.ts';

/**
 * Random product activity for the property specs: users who start on different days, visit with their
 * own regularity, go quiet for long gaps (30 to 100 days) and come back, across workspaces, some never
 * identified (anonymous). Events reach the warehouse in runs; some arrive late (one to three runs later,
 * well past 72 h), some twice (a retry, ignored), some as an earlier-received copy with a different
 * event time (which replaces the stored one).
 */
export interface Delivery {
  readonly asOf: Date;
  readonly events: readonly ActivitySpec[];
}

export interface Scenario {
  readonly deliveries: readonly Delivery[];
  /** Every copy delivered, in the reference's terms. */
  readonly events: readonly RefEvent[];
}

const DAY = 86_400_000;
const FEATURES = [
  'editor.comments.mention',
  'editor.comments.reply',
  'editor.comments',
  'editor.formatting.bold',
  'sharing.link',
  'labs.unknown_widget',
];

const toRef = (e: ActivitySpec): RefEvent => ({
  dedupKey: `dk-${e.id}`,
  eventName: e.eventName ?? 'feature_used',
  eventTs: e.at,
  receivedAt: e.receivedAt ?? new Date(Date.parse(e.at) + 2000).toISOString(),
  userId: e.user === undefined ? 'user-1' : e.user,
  anonymousId: e.anonymousId ?? null,
  featureId: e.feature === undefined ? 'editor.comments.mention' : e.feature,
});

export const randomScenario = (
  seed: number,
  options: { start: string; days: number; users: number; tailDays: number },
): Scenario => {
  const rng = new Prng(seed);
  const start = Date.parse(`${options.start}T00:00:00Z`);
  const end = start + options.days * DAY;
  const runTimes: number[] = [];
  for (let t = start + rng.between(5, 9) * DAY; t < end; t += rng.between(9, 16) * DAY) {
    runTimes.push(t + rng.int(DAY));
  }
  runTimes.push(end + rng.int(DAY));
  runTimes.push(end + options.tailDays * DAY + rng.int(DAY));
  const batches: ActivitySpec[][] = runTimes.map(() => []);
  const runFor = (t: number): number => {
    const i = runTimes.findIndex((r) => r >= t);
    return i < 0 ? runTimes.length - 1 : i;
  };
  let n = 0;
  for (let u = 0; u < options.users; u += 1) {
    const anonymous = rng.chance(0.2);
    const identity = anonymous ? { user: null, anonymousId: `anon-${u}` } : { user: `user-${u}` };
    const workspaces = [`ws-${rng.int(5)}`, `ws-${rng.int(5)}`];
    const regularity = 0.15 + rng.next() * 0.7;
    const commenter = rng.chance(0.5);
    for (let day = rng.int(Math.floor(options.days * 0.7)); day < options.days; day += 1) {
      if (rng.chance(0.02)) {
        day += rng.between(30, 100);
        continue;
      }
      if (!rng.chance(regularity)) continue;
      for (let k = rng.between(1, 3); k > 0; k -= 1) {
        n += 1;
        const at = start + day * DAY + rng.int(DAY - 5000);
        const kind = rng.int(3);
        const feature = kind < 2 ? null : commenter ? rng.pick(FEATURES) : rng.pick(FEATURES.slice(3));
        const event: ActivitySpec = {
          id: `e${n}`,
          at: new Date(at).toISOString(),
          ...identity,
          workspace: rng.pick(workspaces),
          feature,
          known: feature !== null && feature !== 'labs.unknown_widget',
          eventName: kind === 0 ? 'session_started' : kind === 1 ? 'page_viewed' : 'feature_used',
        };
        let run = runFor(at + 2000);
        if (rng.chance(0.08)) run = Math.min(runTimes.length - 2, run + rng.between(1, 3));
        const received = Math.min(
          Math.max(at + 2000, runTimes[run]! - 60_000 - rng.int(3_600_000)),
          runTimes[run]! - 60_000,
        );
        const delivered = { ...event, receivedAt: new Date(Math.max(received, at + 1000)).toISOString() };
        batches[run]!.push(delivered);
        const later = Math.min(runTimes.length - 2, run + rng.between(1, 2));
        const copy = rng.next();
        if (copy < 0.03) {
          batches[later]!.push({
            ...delivered,
            receivedAt: new Date(runTimes[later]! - 120_000).toISOString(),
          });
        } else if (copy < 0.06 && later > run) {
          const shifted = at + (rng.chance(0.5) ? 1 : -1) * (DAY + rng.int(DAY));
          batches[later]!.push({
            ...delivered,
            at: new Date(shifted).toISOString(),
            receivedAt: new Date(Date.parse(delivered.receivedAt) - 1000).toISOString(),
          });
        }
      }
    }
  }
  const deliveries = runTimes.map((t, i) => ({ asOf: new Date(t), events: batches[i]! }));
  return { deliveries, events: deliveries.flatMap((d) => d.events.map(toRef)) };
};
