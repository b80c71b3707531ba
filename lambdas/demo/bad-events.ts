import type { RejectReasonCode } from '#core/contract/envelope.ts';
import type { DemoEvent } from '#demo/event-builder.ts';

/**
 * Reject reasons a single event in an otherwise good request earns, each with how to spoil
 * a good event to earn it. The collector's prechecks (NOT_AN_OBJECT, EVENT_TOO_LARGE,
 * MISSING_KEY) and the validator (the rest) must reject these and keep the request's good
 * events.
 *
 * Three reasons cannot come from one event through the HTTP collector: MALFORMED_JSON and
 * NESTING_TOO_DEEP fail the whole request (400, see `bad-requests.ts`), and
 * MALFORMED_RECORD only comes from a producer writing to the stream without the collector.
 */
export const EVENT_REJECT_KINDS = [
  'NOT_AN_OBJECT',
  'EVENT_TOO_LARGE',
  'MISSING_KEY',
  'UNKNOWN_SCHEMA',
  'UNKNOWN_SCHEMA_VERSION',
  'SCHEMA_VIOLATION',
  'INVALID_TIMESTAMP',
] as const satisfies readonly RejectReasonCode[];
export type EventRejectKind = (typeof EVENT_REJECT_KINDS)[number];

/** A spoiled event: what goes in the request in place of a good one. */
export interface BadEvent {
  readonly reason: EventRejectKind;
  /** A JSON value (not always an object). */
  readonly value: unknown;
  readonly event: DemoEvent | null;
}

/** Spoils a good event so that it is rejected with `reason`. */
export const spoilEvent = (good: DemoEvent, reason: EventRejectKind): BadEvent => {
  const doc = { ...good.doc };
  const isSegment = good.sentField === 'sentAt';
  switch (reason) {
    case 'NOT_AN_OBJECT':
      return { reason, value: ['not', 'an', 'event'], event: null };
    case 'EVENT_TOO_LARGE':
      doc.properties = { ...(doc.properties as object), attachment_preview: 'x'.repeat(33 * 1024) };
      break;
    case 'MISSING_KEY':
      delete doc.user_id;
      delete doc.anonymous_id;
      delete doc.userId;
      delete doc.anonymousId;
      break;
    case 'UNKNOWN_SCHEMA':
      if (isSegment) {
        doc.type = 'track';
        doc.event = 'Legacy Checklist Toggled';
      } else {
        doc.event_name = 'legacy_checklist_toggled';
      }
      break;
    case 'UNKNOWN_SCHEMA_VERSION':
      doc.schema_version = '9-0-0';
      break;
    case 'SCHEMA_VIOLATION':
      // a workspace id must be a string or a number
      if (isSegment) {
        doc.context = { ...(doc.context as object), groupId: { id: 'ws' } };
        if (doc.type === 'group') doc.groupId = { id: 'ws' };
      } else {
        doc.workspace_id = { id: 'ws' };
      }
      break;
    case 'INVALID_TIMESTAMP':
      if (isSegment) {
        doc.originalTimestamp = 'last tuesday';
        doc.timestamp = 'last tuesday';
      } else {
        doc.occurred_at = 'last tuesday';
      }
      break;
  }
  return { reason, value: doc, event: { ...good, doc } };
};
