import type { IntakeFormat, RejectReasonCode, SegmentCallType } from '#core/contract/envelope.ts';

/** What the collector already knows is wrong with one event (it still goes to the stream). */
export interface EventPrecheckFailure {
  readonly code: RejectReasonCode;
  readonly reason: string;
  /** JSON pointer of the missing field (MISSING_KEY). */
  readonly path?: string;
}

export interface PrecheckInput {
  readonly event: unknown;
  /** UTF-8 size of the event's serialised JSON. */
  readonly eventBytes: number;
  readonly intake: IntakeFormat;
  /** The route's call type for single Segment calls; batch calls carry their own `type`. */
  readonly call?: SegmentCallType;
  readonly maxEventBytes: number;
}

/**
 * The checks that need no schema, in the order the validator applies them: the event is an
 * object, fits the size limit, and carries the keys every event needs (a user or anonymous id;
 * an event name for native events and Segment track calls; a `type` for Segment batch calls).
 * An event id (`event_id` / `messageId`) is optional: dedup falls back to a content hash.
 */
export const precheckEvent = (input: PrecheckInput): EventPrecheckFailure | undefined => {
  const { event, eventBytes, intake, maxEventBytes } = input;
  if (typeof event !== 'object' || event === null || Array.isArray(event)) {
    return { code: 'NOT_AN_OBJECT', reason: `an event must be a JSON object, got ${kindOf(event)}` };
  }
  if (eventBytes > maxEventBytes) {
    return {
      code: 'EVENT_TOO_LARGE',
      reason: `event is ${eventBytes} bytes serialised; the limit is ${maxEventBytes}`,
    };
  }
  const fields = event as Record<string, unknown>;
  if (intake === 'native') {
    return (
      missingIdentity(fields, 'user_id', 'anonymous_id') ??
      (present(fields, 'event') || present(fields, 'event_name')
        ? undefined
        : { code: 'MISSING_KEY', path: '/event', reason: 'event (or event_name) is required' })
    );
  }
  const call = input.call ?? fields.type;
  if (input.call === undefined && !present(fields, 'type')) {
    return {
      code: 'MISSING_KEY',
      path: '/type',
      reason: 'each batch call needs a type (track, identify, ...)',
    };
  }
  return (
    missingIdentity(fields, 'userId', 'anonymousId') ??
    (call === 'track' ? missing(fields, 'event', 'track calls need an event name') : undefined)
  );
};

const missingIdentity = (
  fields: Record<string, unknown>,
  userField: string,
  anonymousField: string,
): EventPrecheckFailure | undefined =>
  present(fields, userField) || present(fields, anonymousField)
    ? undefined
    : { code: 'MISSING_KEY', path: `/${userField}`, reason: `${userField} or ${anonymousField} is required` };

const missing = (
  fields: Record<string, unknown>,
  field: string,
  reason: string,
): EventPrecheckFailure | undefined =>
  present(fields, field) ? undefined : { code: 'MISSING_KEY', path: `/${field}`, reason };

/** Own property that is not null or the empty string (inherited names like `constructor` never count). */
const present = (fields: Record<string, unknown>, field: string): boolean => {
  if (!Object.hasOwn(fields, field)) return false;
  const value = fields[field];
  return value !== null && value !== '';
};

const kindOf = (value: unknown): string =>
  Array.isArray(value) ? 'an array' : value === null ? 'null' : `a ${typeof value}`;
