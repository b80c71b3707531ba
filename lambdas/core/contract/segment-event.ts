import { type CheckedField, completeEvent, eventObjects, firstGiven, missingKey } from './complete-event.ts';
import type { CollectMeta } from './envelope.ts';
import { segmentCallType, segmentEventName } from './event-name.ts';
import { asObject, contextView, isGiven, type JsonObject } from './json-fields.ts';
import type { NormaliseResult } from './normalised-event.ts';
import { platformOf } from './platform.ts';

/**
 * Reads one Segment HTTP tracking API call (track, identify, page, screen, group, alias).
 *
 * | canonical | taken from |
 * | --- | --- |
 * | call | `type`, else the route (`/v1/track`) |
 * | event_name | track: `event` in snake_case; page: `page_viewed`; screen: `screen_viewed`; others: the call type |
 * | event_id | `messageId` |
 * | occurred_at | `timestamp`, `originalTimestamp` (see below) |
 * | sent_at | `sentAt`, the batch's `sentAt` |
 * | workspace_id | group: `groupId`; then `context.groupId`, `properties.workspace_id` |
 * | feature_id | `properties.feature_id`, `properties.feature` |
 * | platform | `context.device.type`, `context.library.name`, `context.os.name`, `channel` |
 * | app_version, locale | `context.app.version`, `context.locale` |
 * | traits | `traits`, `context.traits` |
 *
 * Event time, as Segment's and RudderStack's servers derive their `timestamp`: RudderStack's SDKs
 * stamp every call with `originalTimestamp` (the call's time) and send `timestamp` only when the
 * caller set one, which its server takes as is; so with both present, `timestamp` is the event
 * time, never skew-corrected (a back-filled event keeps its day). Otherwise the one time given is
 * corrected for the device clock with `sentAt` (`received - (sentAt - time)`): RudderStack's
 * `originalTimestamp`, or Segment's `timestamp`, which Segment's SDKs set on every call (to now,
 * or to the caller's time) and Segment's server corrects the same way.
 */
export const normaliseSegmentEvent = (event: JsonObject, meta: CollectMeta): NormaliseResult => {
  const call = segmentCallType(event, meta);
  if (call === null) {
    const got = JSON.stringify(event.type ?? meta.call ?? null);
    return missingKey(`type must be one of track, identify, page, screen, group, alias; got ${got}`, '/type');
  }
  const eventName = segmentEventName(call, event);
  if (eventName === null) {
    return missingKey('a track call needs an `event` name with at least one letter or digit', '/event');
  }
  const { properties, context, carried } = eventObjects(event, meta);

  return completeEvent(
    {
      call,
      event_name: eventName,
      event_id: event.messageId,
      schema_version: event.schema_version,
      occurred: firstGiven(event.timestamp, event.originalTimestamp),
      occurred_explicit: isGiven(event.timestamp) && isGiven(event.originalTimestamp),
      sent: firstGiven(event.sentAt, meta.sent_at),
      user_id: event.userId,
      anonymous_id: event.anonymousId,
      workspace_id: firstGiven(
        call === 'group' ? event.groupId : undefined,
        context?.groupId,
        properties?.workspace_id,
      ),
      feature: firstGiven(properties?.feature_id, properties?.feature),
      previous_id: call === 'alias' ? event.previousId : undefined,
      platform: platformOf(undefined, context, event.channel),
      app_version: asObject(context?.app)?.version,
      locale: context?.locale,
      name: call === 'page' || call === 'screen' ? event.name : undefined,
      ...carried,
    },
    event,
    meta,
    locateSegmentField,
  );
};

const locateSegmentField = (checked: CheckedField, event: JsonObject, meta: CollectMeta): string => {
  switch (checked) {
    case 'event_id':
      return '/messageId';
    case 'user_id':
      return '/userId';
    case 'anonymous_id':
      return '/anonymousId';
    case 'previous_id':
      return '/previousId';
    case 'occurred':
      return isGiven(event.timestamp) ? '/timestamp' : '/originalTimestamp';
    case 'sent':
      return isGiven(event.sentAt) || !isGiven(meta.sent_at) ? '/sentAt' : '/batch/sentAt';
    case 'feature':
      return isGiven(asObject(event.properties)?.feature_id)
        ? '/properties/feature_id'
        : '/properties/feature';
    case 'workspace_id': {
      const type = event.type ?? meta.call;
      if (typeof type === 'string' && type.toLowerCase() === 'group' && isGiven(event.groupId))
        return '/groupId';
      const context = asObject(contextView(event.context, meta.context));
      return isGiven(context?.groupId) ? '/context/groupId' : '/properties/workspace_id';
    }
  }
};
