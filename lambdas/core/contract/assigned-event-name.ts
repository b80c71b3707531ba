import { parseClientTime } from './client-time.ts';
import type { CollectMeta } from './envelope.ts';
import { nativeEventName, segmentCallType, segmentEventName } from './event-name.ts';
import { exceedsNestingDepth } from './json-depth.ts';
import { asObject } from './json-fields.ts';
import { isStorableTime, MAX_EVENT_BYTES, MAX_NESTING_DEPTH } from './limits.ts';
import { isWellFormed, wellFormed } from './unicode.ts';

/**
 * The `event_name` the validator will give a collected record's event, on its validated line or its
 * rejected one; `''` when it gives none (the record is rejected before the name is read: a collector
 * precheck, a bad meta line or receipt time, too large, not JSON, not an object, nested too deep; or
 * the event names nothing usable). Lets whoever counts what the collector accepted use the names the warehouse will hold
 * (`raw.events.event_name`, `COALESCE(raw.rejected_events.event_name, '')`), as the reconciliation
 * compares them. Follows `validateRecord`'s checks in its order, with the normalisers' own naming.
 *
 * @param maxEventBytes the validator's event size limit (its default unless configured otherwise)
 */
export const eventNameOf = (
  meta: CollectMeta,
  eventText: string,
  maxEventBytes: number = MAX_EVENT_BYTES,
): string => {
  if (meta.intake !== 'native' && meta.intake !== 'segment') return '';
  if (
    !isStorableTime(parseClientTime(meta.received_at)) ||
    !isWellFormed(meta.source_id) ||
    meta.precheck !== undefined
  ) {
    return '';
  }
  if (
    eventText.length > maxEventBytes ||
    (eventText.length * 3 > maxEventBytes && Buffer.byteLength(eventText) > maxEventBytes)
  ) {
    return '';
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(eventText);
  } catch {
    return '';
  }
  const event = asObject(parsed);
  if (event === undefined || exceedsNestingDepth(eventText, MAX_NESTING_DEPTH)) return '';
  // The rejected line writes the name well-formed (an event name with a lone surrogate is rejected).
  if (meta.intake === 'native') return wellFormed(nativeEventName(event) ?? '');
  const call = segmentCallType(event, meta);
  return call === null ? '' : (segmentEventName(call, event) ?? '');
};
