import { createHash } from 'node:crypto';
import { encodeCollectedRecord } from '#core/contract/collected-record.ts';
import type { CollectMeta, RejectReasonCode } from '#core/contract/envelope.ts';
import { findNonFiniteNumber, numberOutOfRange } from '#core/contract/json-numbers.ts';
import type { IntakeBatch } from './intake.ts';
import type { StreamRecord } from './ports.ts';
import { type EventPrecheckFailure, precheckEvent } from './precheck.ts';
import { BODY_WRITE_KEY_FIELD } from './write-key.ts';

/** A per-event precheck failure, reported to the client by the event's index in the request. */
export interface EventRejection {
  readonly index: number;
  readonly code: RejectReasonCode;
  readonly reason: string;
  readonly path?: string;
}

export interface RequestStamp {
  readonly sourceId: string;
  /** ISO-8601 UTC with milliseconds; one receipt time for every event of the request. */
  readonly receivedAt: string;
  readonly requestId: string;
}

export interface BuiltRecords {
  /** One record per event, in request order, rejected ones included. */
  readonly records: readonly StreamRecord[];
  readonly rejections: readonly EventRejection[];
}

/** Kinesis partition keys are at most 256 characters. */
const MAX_PARTITION_KEY_LENGTH = 256;

/**
 * Turns every event of the request into one collected record (`meta` line + event JSON). Events
 * that fail a precheck are written too, with `meta.precheck` set, so the validator rejects them
 * with the same reason and accepted = validated + rejected holds downstream. A `writeKey` field is
 * removed from each event first: credentials never reach the stream or the warehouse.
 *
 * @param mayHoldNonFiniteNumber false when the body's text shows no number could read as ±Infinity
 *   (`ParsedBody`); the events are then not searched for one
 */
export const buildStreamRecords = (
  batch: IntakeBatch,
  stamp: RequestStamp,
  maxEventBytes: number,
  mayHoldNonFiniteNumber = true,
): BuiltRecords => {
  const records: StreamRecord[] = [];
  const rejections: EventRejection[] = [];
  const contextNumber = mayHoldNonFiniteNumber ? findNonFiniteNumber(batch.context, '/batch/context') : null;
  batch.events.forEach((original, index) => {
    const event = withoutWriteKey(original);
    const eventJson = JSON.stringify(event);
    const eventBytes = Buffer.byteLength(eventJson, 'utf8');
    const precheck = precheckEvent({
      event,
      eventBytes,
      intake: batch.intake,
      maxEventBytes,
      ...(batch.call === undefined ? {} : { call: batch.call }),
    });
    const failure = precheck ?? (mayHoldNonFiniteNumber ? numberPrecheck(event, contextNumber) : undefined);
    if (failure !== undefined) rejections.push(rejection(index, failure));
    const meta = metaFor(batch, stamp, event, failure?.code);
    records.push({
      partitionKey: partitionKeyFor(event, stamp.requestId, index),
      data: Buffer.from(encodeCollectedRecord(meta, eventJson), 'utf8'),
    });
  });
  return { records, rejections };
};

const metaFor = (
  batch: IntakeBatch,
  stamp: RequestStamp,
  event: unknown,
  precheck: RejectReasonCode | undefined,
): CollectMeta => {
  const ownSentAt = batch.intake === 'native' ? 'sent_at' : 'sentAt';
  const useBatchSentAt = batch.sentAt !== undefined && !hasOwn(event, ownSentAt);
  return {
    v: 1,
    source_id: stamp.sourceId,
    received_at: stamp.receivedAt,
    request_id: stamp.requestId,
    intake: batch.intake,
    ...(batch.call === undefined ? {} : { call: batch.call }),
    ...(useBatchSentAt ? { sent_at: batch.sentAt } : {}),
    ...(batch.context === undefined ? {} : { context: batch.context }),
    ...(precheck === undefined ? {} : { precheck }),
  };
};

/**
 * NUMBER_OUT_OF_RANGE for an event (or its batch's context) holding a number that read as ±Infinity:
 * serialising it writes `null`, so the check must happen here, on the values the client's text gave.
 */
const numberPrecheck = (event: unknown, contextNumber: string | null): EventPrecheckFailure | undefined => {
  const at = findNonFiniteNumber(event) ?? contextNumber;
  if (at === null) return undefined;
  const { code, message, path } = numberOutOfRange(at);
  return { code, reason: message, path };
};

const rejection = (index: number, failure: EventPrecheckFailure): EventRejection => ({
  index,
  code: failure.code,
  reason: failure.reason,
  ...(failure.path === undefined ? {} : { path: failure.path }),
});

/** A shallow copy without `writeKey` (spread copies own keys as data, so a `__proto__` key stays inert). */
const withoutWriteKey = (event: unknown): unknown => {
  if (!hasOwn(event, BODY_WRITE_KEY_FIELD)) return event;
  const copy: Record<string, unknown> = { ...(event as Record<string, unknown>) };
  delete copy[BODY_WRITE_KEY_FIELD];
  return copy;
};

/** The event's own id (`event_id`, else Segment `messageId`) when usable, else a hash of its place in the request. */
const partitionKeyFor = (event: unknown, requestId: string, index: number): string => {
  for (const field of ['event_id', 'messageId']) {
    if (!hasOwn(event, field)) continue;
    const id = (event as Record<string, unknown>)[field];
    const text =
      typeof id === 'string' ? id : typeof id === 'number' && Number.isFinite(id) ? String(id) : '';
    if (text !== '' && text.length <= MAX_PARTITION_KEY_LENGTH) return text;
  }
  return createHash('sha256').update(`${requestId}#${index}`).digest('hex').slice(0, 32);
};

const hasOwn = (value: unknown, field: string): boolean =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && Object.hasOwn(value, field);
