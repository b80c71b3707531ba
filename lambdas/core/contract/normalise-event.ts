import type { CollectMeta } from './envelope.ts';
import type { JsonObject } from './json-fields.ts';
import { normaliseNativeEvent } from './native-event.ts';
import type { NormaliseResult } from './normalised-event.ts';
import { normaliseSegmentEvent } from './segment-event.ts';

/** Reads one parsed event object in the intake format its collected record names. */
export const normaliseEvent = (event: JsonObject, meta: CollectMeta): NormaliseResult =>
  meta.intake === 'segment' ? normaliseSegmentEvent(event, meta) : normaliseNativeEvent(event, meta);
