import { parseClientTime } from './client-time.ts';
import type { CollectMeta, Platform, RejectReason, SegmentCallType } from './envelope.ts';
import { canonicalTimeText } from './format-time.ts';
import { asObject, asText, contextView, isGiven, type JsonObject } from './json-fields.ts';
import { numberOutOfRange } from './json-numbers.ts';
import { isStorableTime, TIME_RANGE_TEXT } from './limits.ts';
import type { NormaliseResult } from './normalised-event.ts';

/** Nothing of the event's identity is known: it was refused before any field was read. */
const NO_IDENTITY = { event_name: null, event_id: null, workspace_id: null, user_id: null } as const;

/** An event refused because a key every intake format needs first (its name, its call type) is missing. */
export const missingKey = (message: string, path: string): NormaliseResult => ({
  ok: false,
  reason: { code: 'MISSING_KEY', message, path },
  partial: NO_IDENTITY,
});

/**
 * The objects an intake format picks its fields from: `properties`, and the event's `context` seen through
 * the batch's (`contextView`) as an object when it is one; and the fields every format carries as they are
 * (`carried`): the properties, the traits (else the context's) and the context.
 */
export const eventObjects = (event: JsonObject, meta: CollectMeta) => {
  const contextValue = contextView(event.context, meta.context);
  const context = asObject(contextValue);
  return {
    properties: asObject(event.properties),
    context,
    carried: {
      properties: event.properties ?? undefined,
      traits: event.traits ?? context?.traits ?? undefined,
      context: contextValue,
    },
  };
};

/** Fields an intake format picked from its event, still untyped. Shared checks happen in {@link completeEvent}. */
export interface PickedFields {
  readonly call: SegmentCallType | 'event';
  readonly event_name: string;
  readonly event_id: unknown;
  readonly schema_version: unknown;
  readonly occurred: unknown;
  /**
   * The occurred time is one the caller set on purpose (a Segment-format `timestamp` next to an
   * `originalTimestamp`): the event time as is, not corrected for the device clock with `sent`.
   */
  readonly occurred_explicit?: boolean;
  readonly sent: unknown;
  readonly user_id: unknown;
  readonly anonymous_id: unknown;
  readonly workspace_id: unknown;
  readonly feature: unknown;
  readonly previous_id: unknown;
  readonly platform: Platform | null;
  readonly app_version: unknown;
  readonly locale: unknown;
  readonly name: unknown;
  readonly properties: unknown;
  readonly traits: unknown;
  readonly context: unknown;
}

/** Picked fields that can fail a check, for {@link FieldLocator}. */
export type CheckedField =
  | 'event_id'
  | 'occurred'
  | 'sent'
  | 'user_id'
  | 'anonymous_id'
  | 'workspace_id'
  | 'feature'
  | 'previous_id';

/**
 * Where in the event (a JSON pointer) a picked field came from. Only called to explain a
 * rejection, so the happy path never pays for tracking sources.
 */
export type FieldLocator = (field: CheckedField, event: JsonObject, meta: CollectMeta) => string;

/** The first argument that is given (see {@link isGiven}); allocation-free on the per-event path. */
export const firstGiven = (a: unknown, b: unknown, c?: unknown, d?: unknown): unknown =>
  isGiven(a) ? a : isGiven(b) ? b : isGiven(c) ? c : isGiven(d) ? d : undefined;

const NOT_AN_ID = Symbol('not an id');

/** Identifiers are non-empty strings; numeric ids (common in older backends) become their decimal text. */
const readId = (value: unknown): string | null | typeof NOT_AN_ID => {
  if (value === undefined || value === null || value === '') return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return NOT_AN_ID;
};

const readTime = (value: unknown): number | null => (isGiven(value) ? parseClientTime(value) : null);

/**
 * Checks what every intake format shares (identifiers, the identity rule, timestamps) and
 * returns the normalised event or the first reason it cannot be accepted.
 */
export const completeEvent = (
  picked: PickedFields,
  event: JsonObject,
  meta: CollectMeta,
  locator: FieldLocator,
): NormaliseResult => {
  const eventId = readId(picked.event_id);
  const userId = readId(picked.user_id);
  const anonymousId = readId(picked.anonymous_id);
  const workspaceId = readId(picked.workspace_id);
  const feature = readId(picked.feature);
  const previousId = readId(picked.previous_id);
  const occurredMs = readTime(picked.occurred);
  const sentMs = readTime(picked.sent);

  let failed: CheckedField | 'identity' | null = null;
  if (eventId === NOT_AN_ID) failed = 'event_id';
  else if (userId === NOT_AN_ID) failed = 'user_id';
  else if (anonymousId === NOT_AN_ID) failed = 'anonymous_id';
  else if (workspaceId === NOT_AN_ID) failed = 'workspace_id';
  else if (feature === NOT_AN_ID) failed = 'feature';
  else if (previousId === NOT_AN_ID) failed = 'previous_id';
  else if (userId === null && anonymousId === null) failed = 'identity';
  else if (occurredMs !== null && !isStorableTime(occurredMs)) failed = 'occurred';
  else if (sentMs !== null && !isStorableTime(sentMs)) failed = 'sent';
  if (failed !== null) {
    return {
      ok: false,
      reason: explain(failed, picked, event, meta, locator),
      partial: {
        event_name: picked.event_name,
        event_id: eventId === NOT_AN_ID ? null : eventId,
        workspace_id: workspaceId === NOT_AN_ID ? null : workspaceId,
        user_id: userId === NOT_AN_ID ? null : userId,
      },
    };
  }

  return {
    ok: true,
    event: {
      call: picked.call,
      event_name: picked.event_name,
      event_id: eventId as string | null,
      requested_version: isGiven(picked.schema_version) ? String(picked.schema_version) : null,
      occurred_ms: occurredMs,
      occurred_at: occurredMs === null ? null : canonicalTimeText(picked.occurred, occurredMs),
      occurred_explicit: occurredMs !== null && picked.occurred_explicit === true,
      sent_ms: sentMs,
      sent_at: sentMs === null ? null : canonicalTimeText(picked.sent, sentMs),
      user_id: userId as string | null,
      anonymous_id: anonymousId as string | null,
      workspace_id: workspaceId as string | null,
      feature_raw: feature as string | null,
      platform: picked.platform,
      app_version: asText(picked.app_version),
      locale: asText(picked.locale),
      name: asText(picked.name),
      previous_id: previousId as string | null,
      properties: picked.properties,
      traits: picked.traits,
      context: picked.context,
    },
  };
};

/** The reject reason for the first field that failed, with the pointer of where it came from. */
const explain = (
  failed: CheckedField | 'identity',
  picked: PickedFields,
  event: JsonObject,
  meta: CollectMeta,
  locate: FieldLocator,
): RejectReason => {
  if (failed === 'identity') {
    const userPath = locate('user_id', event, meta);
    return {
      code: 'MISSING_KEY',
      message: `an event needs a user id (${userPath}) or an anonymous id (${locate('anonymous_id', event, meta)})`,
      path: userPath,
    };
  }
  const path = locate(failed, event, meta);
  const value = picked[failed];
  // A literal beyond a double reads as Infinity: say so rather than "not a time" (writing it shows `null`).
  if (typeof value === 'number' && !Number.isFinite(value)) return numberOutOfRange(path);
  if (failed === 'occurred' || failed === 'sent') return badTime(path, value);
  return notAnId(path);
};

const notAnId = (path: string): RejectReason => ({
  code: 'SCHEMA_VIOLATION',
  message: `${path} must be a string or a number`,
  path,
  keyword: 'type',
});

/** A time that cannot be read, or one that reads but lies outside the range the warehouses store. */
const badTime = (path: string, value: unknown): RejectReason => ({
  code: 'INVALID_TIMESTAMP',
  message: Number.isNaN(parseClientTime(value))
    ? `${path} is not an ISO-8601 date-time or epoch milliseconds: ${shown(value)}`
    : `${path} is outside ${TIME_RANGE_TEXT}, the range the warehouse stores: ${shown(value)}`,
  path,
});

const shown = (value: unknown): string => String(JSON.stringify(value)).slice(0, 64);
