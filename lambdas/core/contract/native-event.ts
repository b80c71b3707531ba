import { type CheckedField, completeEvent, eventObjects, firstGiven, missingKey } from './complete-event.ts';
import type { CollectMeta } from './envelope.ts';
import { nativeEventName } from './event-name.ts';
import { asObject, contextView, field, isGiven, type JsonObject } from './json-fields.ts';
import type { NormaliseResult } from './normalised-event.ts';
import { platformOf } from './platform.ts';

/**
 * Reads a native Tally event (`POST /v1/events`). Field names and fallbacks, in order:
 *
 * | canonical | taken from |
 * | --- | --- |
 * | event_name | `event`, `event_name` (as given) |
 * | occurred_at | `occurred_at`, `timestamp` |
 * | sent_at | `sent_at`, the batch's `sent_at` |
 * | workspace_id | `workspace_id`, `properties.workspace_id`, `context.groupId` |
 * | feature_id | `feature_id`, `feature`, `properties.feature_id`, `properties.feature` |
 * | platform | `platform`, `context.device.type`, `context.library.name`, `context.os.name` |
 * | app_version, locale | top-level, then `context.app.version`, `context.locale` |
 */
export const normaliseNativeEvent = (event: JsonObject, meta: CollectMeta): NormaliseResult => {
  const name = nativeEventName(event);
  if (name === null)
    return missingKey('the event has no name: set `event` (or `event_name`) to a string', '/event');
  const { properties, context, carried } = eventObjects(event, meta);

  return completeEvent(
    {
      call: 'event',
      event_name: name,
      event_id: event.event_id,
      schema_version: event.schema_version,
      occurred: firstGiven(event.occurred_at, event.timestamp),
      sent: firstGiven(event.sent_at, meta.sent_at),
      user_id: event.user_id,
      anonymous_id: event.anonymous_id,
      workspace_id: firstGiven(event.workspace_id, properties?.workspace_id, context?.groupId),
      feature: firstGiven(event.feature_id, event.feature, properties?.feature_id, properties?.feature),
      previous_id: event.previous_id,
      platform: platformOf(event.platform, context, undefined),
      app_version: event.app_version ?? asObject(context?.app)?.version,
      locale: event.locale ?? context?.locale,
      name: event.name,
      ...carried,
    },
    event,
    meta,
    locateNativeField,
  );
};

/** JSON pointers of the candidates of each checked field, in the order they are tried. */
const CANDIDATES: Readonly<Record<CheckedField, readonly string[]>> = {
  event_id: ['/event_id'],
  occurred: ['/occurred_at', '/timestamp'],
  sent: ['/sent_at', '/batch/sent_at'],
  user_id: ['/user_id'],
  anonymous_id: ['/anonymous_id'],
  workspace_id: ['/workspace_id', '/properties/workspace_id', '/context/groupId'],
  feature: ['/feature_id', '/feature', '/properties/feature_id', '/properties/feature'],
  previous_id: ['/previous_id'],
};

const locateNativeField = (checked: CheckedField, event: JsonObject, meta: CollectMeta): string => {
  const candidates = CANDIDATES[checked];
  for (const pointer of candidates) {
    if (isGiven(valueAt(event, meta, pointer))) return pointer;
  }
  return candidates[0]!;
};

/** The value at one of the candidate pointers above (`/batch/...` reads the collector's meta). */
export const valueAt = (event: JsonObject, meta: CollectMeta, pointer: string): unknown => {
  const [, first = '', second] = pointer.split('/');
  if (first === 'batch') return meta.sent_at;
  if (second === undefined) return event[first];
  const parent =
    first === 'context' ? asObject(contextView(event.context, meta.context)) : asObject(event[first]);
  return field(parent, second);
};
