import { parseClientTime } from './client-time.ts';
import type { Platform, RejectReason, SegmentCallType } from './envelope.ts';
import { asText, isGiven } from './json-fields.ts';
import type { NormaliseResult, PartialIdentity } from './normalised-event.ts';

/** A value picked from the event together with the JSON pointer it came from (for reject reasons). */
export interface Sourced {
  readonly value: unknown;
  readonly path: string;
}

/** Fields an intake format picked from its event, still untyped. Shared checks happen in {@link completeEvent}. */
export interface PickedFields {
  readonly call: SegmentCallType | 'event';
  readonly event_name: string;
  readonly event_id: Sourced;
  readonly schema_version: unknown;
  readonly occurred: Sourced;
  readonly sent: Sourced;
  readonly user_id: Sourced;
  readonly anonymous_id: Sourced;
  readonly workspace_id: Sourced;
  readonly feature: Sourced;
  readonly previous_id: Sourced;
  readonly platform: Platform | null;
  readonly app_version: unknown;
  readonly locale: unknown;
  readonly name: unknown;
  readonly properties: unknown;
  readonly traits: unknown;
  readonly context: unknown;
}

/** The first candidate that is given (see {@link isGiven}), or the last one's path with no value. */
export const pick = (...candidates: readonly Sourced[]): Sourced => {
  for (const candidate of candidates) if (isGiven(candidate.value)) return candidate;
  return { value: undefined, path: candidates[0]?.path ?? '' };
};

const NOT_AN_ID = Symbol('not an id');

/** Identifiers are non-empty strings; numeric ids (common in older backends) become their decimal text. */
const readId = (value: unknown): string | null | typeof NOT_AN_ID => {
  if (value === undefined || value === null || value === '') return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return NOT_AN_ID;
};

const notAnId = (path: string): RejectReason => ({
  code: 'SCHEMA_VIOLATION',
  message: `${path} must be a string or a number`,
  path,
  keyword: 'type',
});

const readTime = (source: Sourced): number | null =>
  isGiven(source.value) ? parseClientTime(source.value) : null;

/**
 * Checks what every intake format shares (identifiers, the identity rule, timestamps) and
 * returns the normalised event or the first reason it cannot be accepted.
 */
export const completeEvent = (picked: PickedFields): NormaliseResult => {
  const eventId = readId(picked.event_id.value);
  const userId = readId(picked.user_id.value);
  const anonymousId = readId(picked.anonymous_id.value);
  const workspaceId = readId(picked.workspace_id.value);
  const partial: PartialIdentity = {
    event_name: picked.event_name,
    event_id: eventId === NOT_AN_ID ? null : eventId,
    workspace_id: workspaceId === NOT_AN_ID ? null : workspaceId,
    user_id: userId === NOT_AN_ID ? null : userId,
  };
  const fail = (reason: RejectReason): NormaliseResult => ({ ok: false, reason, partial });

  if (eventId === NOT_AN_ID) return fail(notAnId(picked.event_id.path));
  if (userId === NOT_AN_ID) return fail(notAnId(picked.user_id.path));
  if (anonymousId === NOT_AN_ID) return fail(notAnId(picked.anonymous_id.path));
  if (workspaceId === NOT_AN_ID) return fail(notAnId(picked.workspace_id.path));
  const feature = readId(picked.feature.value);
  if (feature === NOT_AN_ID) return fail(notAnId(picked.feature.path));
  const previousId = readId(picked.previous_id.value);
  if (previousId === NOT_AN_ID) return fail(notAnId(picked.previous_id.path));
  if (userId === null && anonymousId === null) {
    return fail({
      code: 'MISSING_KEY',
      message: `an event needs a user id (${picked.user_id.path}) or an anonymous id (${picked.anonymous_id.path})`,
      path: picked.user_id.path,
    });
  }

  const occurredMs = readTime(picked.occurred);
  if (occurredMs !== null && Number.isNaN(occurredMs)) return fail(badTime(picked.occurred));
  const sentMs = readTime(picked.sent);
  if (sentMs !== null && Number.isNaN(sentMs)) return fail(badTime(picked.sent));

  return {
    ok: true,
    event: {
      call: picked.call,
      event_name: picked.event_name,
      event_id: eventId,
      requested_version: isGiven(picked.schema_version) ? String(picked.schema_version) : null,
      occurred_ms: occurredMs,
      sent_ms: sentMs,
      user_id: userId,
      anonymous_id: anonymousId,
      workspace_id: workspaceId,
      feature_raw: feature,
      platform: picked.platform,
      app_version: asText(picked.app_version),
      locale: asText(picked.locale),
      name: asText(picked.name),
      previous_id: previousId,
      properties: picked.properties,
      traits: picked.traits,
      context: picked.context,
    },
  };
};

const badTime = (source: Sourced): RejectReason => ({
  code: 'INVALID_TIMESTAMP',
  message: `${source.path} is not an ISO-8601 date-time or epoch milliseconds: ${JSON.stringify(source.value)?.slice(0, 64)}`,
  path: source.path,
});
