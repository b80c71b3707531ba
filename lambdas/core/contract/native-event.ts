import { completeEvent, pick } from './complete-event.ts';
import type { CollectMeta } from './envelope.ts';
import { asObject, contextView, EMPTY_OBJECT, field, type JsonObject } from './json-fields.ts';
import type { NormaliseResult } from './normalised-event.ts';
import { pickPlatform } from './platform.ts';

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
  const name = pick(
    { value: event.event, path: '/event' },
    { value: event.event_name, path: '/event_name' },
  ).value;
  if (typeof name !== 'string') {
    return {
      ok: false,
      reason: {
        code: 'MISSING_KEY',
        message: 'the event has no name: set `event` (or `event_name`) to a string',
        path: '/event',
      },
      partial: { event_name: null, event_id: null, workspace_id: null, user_id: null },
    };
  }

  const properties = asObject(event.properties);
  const contextValue = contextView(event.context, meta.context);
  const context = asObject(contextValue);
  const device = asObject(field(context, 'device'));
  const library = asObject(field(context, 'library'));
  const os = asObject(field(context, 'os'));
  const app = asObject(field(context, 'app'));

  return completeEvent({
    call: 'event',
    event_name: name,
    event_id: { value: event.event_id, path: '/event_id' },
    schema_version: event.schema_version,
    occurred: pick(
      { value: event.occurred_at, path: '/occurred_at' },
      { value: event.timestamp, path: '/timestamp' },
    ),
    sent: pick({ value: event.sent_at, path: '/sent_at' }, { value: meta.sent_at, path: '/batch/sent_at' }),
    user_id: { value: event.user_id, path: '/user_id' },
    anonymous_id: { value: event.anonymous_id, path: '/anonymous_id' },
    workspace_id: pick(
      { value: event.workspace_id, path: '/workspace_id' },
      { value: field(properties, 'workspace_id'), path: '/properties/workspace_id' },
      { value: field(context, 'groupId'), path: '/context/groupId' },
    ),
    feature: pick(
      { value: event.feature_id, path: '/feature_id' },
      { value: event.feature, path: '/feature' },
      { value: field(properties, 'feature_id'), path: '/properties/feature_id' },
      { value: field(properties, 'feature'), path: '/properties/feature' },
    ),
    previous_id: { value: event.previous_id, path: '/previous_id' },
    platform: pickPlatform([
      event.platform,
      field(device, 'type'),
      field(library, 'name'),
      field(os, 'name'),
    ]),
    app_version: event.app_version ?? field(app, 'version'),
    locale: event.locale ?? field(context, 'locale'),
    name: event.name,
    properties: event.properties ?? EMPTY_OBJECT,
    traits: event.traits ?? field(context, 'traits') ?? EMPTY_OBJECT,
    context: contextValue,
  });
};
