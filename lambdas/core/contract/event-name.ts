import type { CollectMeta, SegmentCallType } from './envelope.ts';
import { isGiven, type JsonObject } from './json-fields.ts';

/** Event names of the Segment calls that carry no `event` of their own. */
export const SEGMENT_CALL_EVENT_NAMES: Readonly<Record<Exclude<SegmentCallType, 'track'>, string>> = {
  page: 'page_viewed',
  screen: 'screen_viewed',
  identify: 'identify',
  group: 'group',
  alias: 'alias',
};

/** Names a schema can have: lower snake_case starting with a letter. */
export const EVENT_NAME_PATTERN = /^[a-z][a-z0-9_]*$/;

/** Segment apps send few distinct names, so converting each once is enough; the bound caps hostile input. */
const CACHE_LIMIT = 10_000;
const cache = new Map<string, string>();

/**
 * Segment track names in snake_case: `"Feature Used"` -> `feature_used`, `"featureUsed"` ->
 * `feature_used`, `"Checkout-Started v2"` -> `checkout_started_v2`. Anything that is not
 * a letter or digit separates words. May return `''` for a name with no letters or digits.
 */
export const toSnakeCase = (name: string): string => {
  const hit = cache.get(name);
  if (hit !== undefined) return hit;
  const snake = name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(name, snake);
  return snake;
};

/**
 * A native event's name: `event`, else `event_name`, as given; null when the one given is not a string.
 * The one place native naming is decided (the normaliser and the collector-side counts share it).
 */
export const nativeEventName = (event: JsonObject): string | null => {
  const name = isGiven(event.event) ? event.event : event.event_name;
  return typeof name === 'string' ? name : null;
};

const SEGMENT_CALL_TYPES: ReadonlySet<string> = new Set<SegmentCallType>([
  'track',
  'identify',
  'page',
  'screen',
  'group',
  'alias',
]);

/** A Segment call's type: its `type` (any case), else the route's; null when it is none of the six. */
export const segmentCallType = (event: JsonObject, meta: CollectMeta): SegmentCallType | null => {
  const raw = event.type ?? meta.call;
  const type = typeof raw === 'string' ? raw.toLowerCase() : '';
  return SEGMENT_CALL_TYPES.has(type) ? (type as SegmentCallType) : null;
};

/**
 * A Segment call's event name: track calls their `event` in snake_case, page `page_viewed`, screen
 * `screen_viewed`, the others their call type; null for a track call without a usable `event`.
 */
export const segmentEventName = (call: SegmentCallType, event: JsonObject): string | null => {
  if (call !== 'track') return SEGMENT_CALL_EVENT_NAMES[call];
  const name = typeof event.event === 'string' ? toSnakeCase(event.event) : '';
  return name === '' ? null : name;
};
