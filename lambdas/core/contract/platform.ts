import type { Platform } from './envelope.ts';
import { asObject, type JsonObject } from './json-fields.ts';

/**
 * Platform names SDKs actually send, lower-cased, to the platform they mean. Hints come
 * from an explicit `platform`, Segment's `context.device.type`, `context.library.name`,
 * `context.os.name` and `channel`; each is looked up whole, then by its first word
 * (`"iOS 17.2"`, `"analytics-node 6.0"`).
 */
const KNOWN: ReadonlyMap<string, Platform> = new Map<string, Platform>([
  ['ios', 'ios'],
  ['iphone', 'ios'],
  ['iphoneos', 'ios'],
  ['ipad', 'ios'],
  ['ipados', 'ios'],
  ['ipod', 'ios'],
  ['analytics-ios', 'ios'],
  ['android', 'android'],
  ['analytics-android', 'android'],
  ['web', 'web'],
  ['browser', 'web'],
  ['javascript', 'web'],
  ['js', 'web'],
  ['analytics.js', 'web'],
  ['analytics-next', 'web'],
  ['@segment/analytics-next', 'web'],
  ['server', 'backend'],
  ['backend', 'backend'],
  ['node', 'backend'],
  ['nodejs', 'backend'],
  ['analytics-node', 'backend'],
  ['@segment/analytics-node', 'backend'],
  ['python', 'backend'],
  ['analytics-python', 'backend'],
  ['java', 'backend'],
  ['analytics-java', 'backend'],
  ['go', 'backend'],
  ['analytics-go', 'backend'],
  ['ruby', 'backend'],
  ['analytics-ruby', 'backend'],
  ['php', 'backend'],
  ['analytics-php', 'backend'],
  ['.net', 'backend'],
  ['analytics.net', 'backend'],
]);

/** Clients send few distinct hints; remembering each answer keeps string work off the per-event path. */
const CACHE_LIMIT = 10_000;
const cache = new Map<string, Platform | null>();

/** The platform one hint names, `other` when it names none we know, `null` when there is no hint. */
export const normalisePlatform = (hint: unknown): Platform | null => {
  if (typeof hint !== 'string') return null;
  const hit = cache.get(hint);
  if (hit !== undefined) return hit;
  const platform = lookUp(hint);
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(hint, platform);
  return platform;
};

const lookUp = (hint: string): Platform | null => {
  const raw = hint.trim().toLowerCase();
  if (raw === '') return null;
  const whole = KNOWN.get(raw);
  if (whole !== undefined) return whole;
  const space = raw.search(/[\s/]/);
  if (space > 0) {
    const first = KNOWN.get(raw.slice(0, space));
    if (first !== undefined) return first;
  }
  return 'other';
};

/**
 * The platform of an event from its hints, in order: an explicit platform, then the
 * context's `device.type`, `library.name`, `os.name`, then Segment's `channel`. Later hints
 * are only read when earlier ones name no known platform.
 */
export const platformOf = (
  explicit: unknown,
  context: JsonObject | undefined,
  channel: unknown,
): Platform | null => {
  const first = normalisePlatform(explicit);
  if (first !== null && first !== 'other') return first;
  const device = normalisePlatform(asObject(context?.device)?.type);
  if (device !== null && device !== 'other') return device;
  const rest = pickPlatform(
    asObject(context?.library)?.name,
    asObject(context?.os)?.name,
    channel,
    undefined,
  );
  if (rest !== null && rest !== 'other') return rest;
  return first ?? device ?? rest;
};

/**
 * The first hint, in order, that names a known platform; `other` when hints exist but none
 * is known; `null` when no hint is present. Order matters: an explicit platform beats the
 * device type, which beats the library, which beats the operating system.
 */
export const pickPlatform = (a: unknown, b: unknown, c: unknown, d: unknown): Platform | null => {
  const first = normalisePlatform(a);
  if (first !== null && first !== 'other') return first;
  const second = normalisePlatform(b);
  if (second !== null && second !== 'other') return second;
  const third = normalisePlatform(c);
  if (third !== null && third !== 'other') return third;
  const fourth = normalisePlatform(d);
  if (fourth !== null && fourth !== 'other') return fourth;
  return first ?? second ?? third ?? fourth;
};
