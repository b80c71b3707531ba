import type { ValidatedLine } from '#core/contract/envelope.ts';
import { Prng } from '#demo/prng.ts';
import { eventLine } from './warehouse-events.ts';

export interface ScenarioLoad {
  readonly loadedAt: string;
  readonly files: readonly { readonly name: string; readonly lines: readonly ValidatedLine[] }[];
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const iso = (ms: number): string => new Date(ms).toISOString();

const USERS = ['u1', 'u2', 'u3', 'u4', 'u5', 'u6', null, null];
const WORKSPACES = ['ws-a', 'ws-a', 'ws-b', 'ws-c', null];
const FEATURES = [
  'editor.comments.mention',
  'editor.comments.reply',
  'editor.comments',
  'editor.formatting.bold',
  'editor',
  'sharing.link',
  'editor.ghost', // unknown, under a known parent
  'legacy_export', // unknown
  null,
];
const PLATFORMS = ['web', 'web', 'ios', 'android', 'backend', null] as const;

/**
 * Random loads of feature events: new events (some up to and beyond 72 h late), exact copies of earlier
 * lines in other files and loads, client retries received later, and earlier-received copies that only
 * arrive in a later load (a delayed file), over a fixed catalog plus unknown features.
 */
export const randomLoads = (seed: number, loadCount: number): ScenarioLoad[] => {
  // the demo's seeded PRNG: the same seed gives the same scenario on every machine
  const rnd = new Prng(seed);
  const start = Date.parse('2026-03-02T00:00:00.000Z');
  const emitted: ValidatedLine[] = [];
  const delayed = new Map<number, ValidatedLine[]>();
  let serial = 0;
  const loads: ScenarioLoad[] = [];
  for (let k = 0; k < loadCount; k++) {
    const loadedAt = start + (k + 1) * 4 * HOUR + rnd.between(0, 30) * MINUTE;
    const files = [];
    for (let f = 0, fileCount = rnd.between(1, 3); f < fileCount; f++) {
      const lines: ValidatedLine[] = f === 0 ? (delayed.get(k) ?? []) : [];
      for (let i = 0, n = rnd.between(3, 14); i < n; i++) {
        const roll = rnd.next();
        if (roll < 0.2 && emitted.length > 0) {
          lines.push(rnd.pick(emitted));
          continue;
        }
        if (roll < 0.35 && emitted.length > 0) {
          const original = rnd.pick(emitted);
          const received = rnd.between(Date.parse(original.received_at), loadedAt - MINUTE);
          const noClientClock = original.occurred_at === null;
          lines.push({
            ...original,
            received_at: iso(received),
            event_ts: noClientClock ? iso(received) : original.event_ts,
          });
          continue;
        }
        const received = loadedAt - rnd.between(1, 50) * MINUTE;
        const lateness = rnd.chance(0.8)
          ? rnd.between(0, 300) * 1000
          : rnd.chance(0.7)
            ? rnd.between(1, 70) * HOUR
            : rnd.between(73, 100) * HOUR;
        const user = rnd.pick(USERS);
        const line = eventLine({
          id: `s${seed}-${serial++}`,
          at: iso(received - lateness),
          receivedAt: iso(received),
          user,
          anonymousId: user === null && rnd.chance(0.7) ? `device-${rnd.between(1, 4)}` : null,
          workspace: rnd.pick(WORKSPACES),
          feature: rnd.pick(FEATURES),
          platform: rnd.pick(PLATFORMS),
        });
        const noClientClock = rnd.chance(0.2);
        const event = noClientClock ? { ...line, occurred_at: null, event_ts: line.received_at } : line;
        lines.push(event);
        emitted.push(event);
        if (rnd.chance(0.1)) {
          const earlier = Date.parse(event.received_at) - rnd.between(1, 120) * MINUTE;
          const copy = {
            ...event,
            received_at: iso(earlier),
            event_ts: noClientClock ? iso(earlier) : event.event_ts,
          };
          const at = k + rnd.between(1, 3);
          delayed.set(at, [...(delayed.get(at) ?? []), copy]);
        }
      }
      files.push({ name: `events/load-${k}/part-${f}.ndjson.gz`, lines });
    }
    loads.push({ loadedAt: iso(loadedAt), files });
  }
  return loads;
};
