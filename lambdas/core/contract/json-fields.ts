/**
 * Reading fields of untrusted parsed JSON. Only fixed, non-`Object.prototype` keys are ever
 * read, and nothing untrusted is merged into an ordinary object, so `__proto__`,
 * `constructor` and `prototype` keys stay plain data.
 */

export type JsonObject = Readonly<Record<string, unknown>>;

/** Shared stand-in for an absent object; never mutated. */
export const EMPTY_OBJECT: JsonObject = Object.freeze({});

/** The value when it is a JSON object (not null, not an array), else undefined. */
export const asObject = (value: unknown): JsonObject | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonObject) : undefined;

/** A field counts as given unless it is absent, null or the empty string. */
export const isGiven = (value: unknown): boolean => value !== undefined && value !== null && value !== '';

/** `object[key]` for an object, undefined otherwise. */
export const field = (object: JsonObject | undefined, key: string): unknown =>
  object === undefined ? undefined : object[key];

/** Free text such as an app version: strings as they are, numbers as their decimal text, anything else null. */
export const asText = (value: unknown): string | null => {
  if (typeof value === 'string') return value === '' ? null : value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return null;
};

/**
 * `top` laid over `base`, shallowly, into an object without a prototype so that a
 * `__proto__` key is copied as data instead of re-parenting the result.
 */
export const mergeUnder = (base: JsonObject, top: JsonObject): JsonObject => {
  const merged: Record<string, unknown> = Object.create(null);
  for (const key of Object.keys(base)) merged[key] = base[key];
  for (const key of Object.keys(top)) merged[key] = top[key];
  return merged;
};

/**
 * The context an event is read with: its own laid over the batch-level one (Segment
 * `/v1/batch` may carry a shared `context`), or whichever exists. The batch-level one comes from
 * the record's meta line, so anything but an object there (which the collector never writes) is
 * ignored rather than trusted.
 */
export const contextView = (raw: unknown, batchContext: unknown): unknown => {
  const batch = asObject(batchContext);
  if (raw === undefined || raw === null) return batch ?? EMPTY_OBJECT;
  const own = asObject(raw);
  if (own !== undefined && batch !== undefined) return mergeUnder(batch, own);
  return raw;
};
