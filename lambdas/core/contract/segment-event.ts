import { completeEvent, pick, type Sourced } from './complete-event.ts';
import type { CollectMeta, SegmentCallType } from './envelope.ts';
import { SEGMENT_CALL_EVENT_NAMES, toSnakeCase } from './event-name.ts';
import { asObject, contextView, EMPTY_OBJECT, field, type JsonObject } from './json-fields.ts';
import type { NormaliseResult } from './normalised-event.ts';
import { pickPlatform } from './platform.ts';

const CALL_TYPES: ReadonlySet<string> = new Set<SegmentCallType>([
  'track',
  'identify',
  'page',
  'screen',
  'group',
  'alias',
]);

const NO_IDENTITY = { event_name: null, event_id: null, workspace_id: null, user_id: null } as const;

/**
 * Reads one Segment HTTP tracking API call (track, identify, page, screen, group, alias).
 *
 * | canonical | taken from |
 * | --- | --- |
 * | call | `type`, else the route (`/v1/track`) |
 * | event_name | track: `event` in snake_case; page: `page_viewed`; screen: `screen_viewed`; others: the call type |
 * | event_id | `messageId` |
 * | occurred_at | `originalTimestamp`, `timestamp` |
 * | sent_at | `sentAt`, the batch's `sentAt` |
 * | workspace_id | group: `groupId`; then `context.groupId`, `properties.workspace_id` |
 * | feature_id | `properties.feature_id`, `properties.feature` |
 * | platform | `context.device.type`, `context.library.name`, `context.os.name`, `channel` |
 * | app_version, locale | `context.app.version`, `context.locale` |
 * | traits | `traits`, `context.traits` |
 */
export const normaliseSegmentEvent = (event: JsonObject, meta: CollectMeta): NormaliseResult => {
  const rawType = event.type ?? meta.call;
  const call = typeof rawType === 'string' ? rawType.toLowerCase() : undefined;
  if (call === undefined || !CALL_TYPES.has(call)) {
    return {
      ok: false,
      reason: {
        code: 'MISSING_KEY',
        message: `type must be one of track, identify, page, screen, group, alias; got ${JSON.stringify(rawType ?? null)}`,
        path: '/type',
      },
      partial: NO_IDENTITY,
    };
  }
  const type = call as SegmentCallType;

  let eventName: string;
  if (type === 'track') {
    const raw = event.event;
    eventName = typeof raw === 'string' ? toSnakeCase(raw) : '';
    if (eventName === '') {
      return {
        ok: false,
        reason: {
          code: 'MISSING_KEY',
          message: 'a track call needs an `event` name with at least one letter or digit',
          path: '/event',
        },
        partial: NO_IDENTITY,
      };
    }
  } else {
    eventName = SEGMENT_CALL_EVENT_NAMES[type];
  }

  const properties = asObject(event.properties);
  const contextValue = contextView(event.context, meta.context);
  const context = asObject(contextValue);
  const device = asObject(field(context, 'device'));
  const library = asObject(field(context, 'library'));
  const os = asObject(field(context, 'os'));
  const app = asObject(field(context, 'app'));

  const groupId: Sourced = { value: type === 'group' ? event.groupId : undefined, path: '/groupId' };
  return completeEvent({
    call: type,
    event_name: eventName,
    event_id: { value: event.messageId, path: '/messageId' },
    schema_version: event.schema_version,
    occurred: pick(
      { value: event.originalTimestamp, path: '/originalTimestamp' },
      { value: event.timestamp, path: '/timestamp' },
    ),
    sent: pick({ value: event.sentAt, path: '/sentAt' }, { value: meta.sent_at, path: '/batch/sentAt' }),
    user_id: { value: event.userId, path: '/userId' },
    anonymous_id: { value: event.anonymousId, path: '/anonymousId' },
    workspace_id: pick(
      groupId,
      { value: field(context, 'groupId'), path: '/context/groupId' },
      { value: field(properties, 'workspace_id'), path: '/properties/workspace_id' },
    ),
    feature: pick(
      { value: field(properties, 'feature_id'), path: '/properties/feature_id' },
      { value: field(properties, 'feature'), path: '/properties/feature' },
    ),
    previous_id: { value: type === 'alias' ? event.previousId : undefined, path: '/previousId' },
    platform: pickPlatform([field(device, 'type'), field(library, 'name'), field(os, 'name'), event.channel]),
    app_version: field(app, 'version'),
    locale: field(context, 'locale'),
    name: type === 'page' || type === 'screen' ? event.name : undefined,
    properties: event.properties ?? EMPTY_OBJECT,
    traits: event.traits ?? field(context, 'traits') ?? EMPTY_OBJECT,
    context: contextValue,
  });
};
