import type { ValidateFunction } from 'ajv';
import type { NormalisedEvent } from '#core/contract/normalised-event.ts';

/**
 * The document an event schema validates (docs/EVENTS.md): canonical fields (null when the event
 * lacks them) plus the event's own objects (`properties` and `traits` undefined, so left out, when
 * the event has none: a schema's `required` on them can fail).
 */
interface CanonicalView {
  event_name: string;
  event_id: string | null;
  user_id: string | null;
  anonymous_id: string | null;
  workspace_id: string | null;
  feature_id: string | null;
  platform: string | null;
  app_version: string | null;
  locale: string | null;
  name: string | null;
  previous_id: string | null;
  properties: unknown;
  traits: unknown;
  context: unknown;
}

/**
 * One view object, refilled for each event: validation is synchronous and Ajv keeps no
 * reference, so reusing it saves an allocation per event without any sharing between calls.
 */
const view: CanonicalView = {
  event_name: '',
  event_id: null,
  user_id: null,
  anonymous_id: null,
  workspace_id: null,
  feature_id: null,
  platform: null,
  app_version: null,
  locale: null,
  name: null,
  previous_id: null,
  properties: null,
  traits: null,
  context: null,
};

/** Fills the shared view for one event (feature already resolved) and validates it. */
export const validateView = (
  validate: ValidateFunction,
  event: NormalisedEvent,
  featureId: string | null,
): boolean => {
  view.event_name = event.event_name;
  view.event_id = event.event_id;
  view.user_id = event.user_id;
  view.anonymous_id = event.anonymous_id;
  view.workspace_id = event.workspace_id;
  view.feature_id = featureId;
  view.platform = event.platform;
  view.app_version = event.app_version;
  view.locale = event.locale;
  view.name = event.name;
  view.previous_id = event.previous_id;
  view.properties = event.properties;
  view.traits = event.traits;
  view.context = event.context;
  const valid = validate(view);
  // Let the event's objects go: the view outlives the call.
  view.properties = null;
  view.traits = null;
  view.context = null;
  return valid;
};
