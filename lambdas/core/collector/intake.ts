import type { IntakeFormat, SegmentCallType } from '#core/contract/envelope.ts';
import { BatchContextTooLargeError, InvalidBodyShapeError, TooManyEventsError } from './errors.ts';
import type { CollectorRoute } from './routes.ts';
import type { CollectorLimits } from './settings.ts';

/** The events of one request and what the request says about all of them. */
export interface IntakeBatch {
  readonly intake: IntakeFormat;
  /** Segment call type from the route, for single Segment calls only. */
  readonly call?: SegmentCallType;
  /** The events as parsed, in request order (any JSON value: non-objects are rejected per event). */
  readonly events: readonly unknown[];
  /** Batch-level send time (`sentAt` of a Segment batch, `sent_at` of a native batch). */
  readonly sentAt?: string;
  /** Batch-level Segment `context`. */
  readonly context?: Record<string, unknown>;
  /** True when events sit inside a wrapper (`{"batch":[...]}`, `{"events":[...]}`), two levels deep. */
  readonly wrapped: boolean;
}

/** Depth a batch wrapper adds above its events: the wrapper object and the array. */
export const WRAPPER_DEPTH = 2;

/**
 * Most bytes the copies of a batch-level `context` may add to a request's records (it is copied
 * onto every event's record): without a bound, a 32 KiB context over thousands of tiny events would
 * turn one 512 KiB request into hundreds of MB on the stream. 16 MiB is what the earlier limits
 * allowed at most (500 events x 32 KiB), so no batch accepted before is refused now.
 */
export const MAX_BATCH_CONTEXT_COPY_BYTES = 16 * 1024 * 1024;

/**
 * Reads the events out of a parsed body according to the route. Throws InvalidBodyShapeError
 * (400) for a body of the wrong shape, TooManyEventsError / BatchContextTooLargeError (413).
 */
export const toIntakeBatch = (route: CollectorRoute, body: unknown, limits: CollectorLimits): IntakeBatch => {
  const batch = shape(route, body);
  if (batch.events.length > limits.maxBatchEvents) {
    throw new TooManyEventsError(batch.events.length, limits.maxBatchEvents);
  }
  if (batch.context !== undefined) {
    const contextBytes = Buffer.byteLength(JSON.stringify(batch.context));
    if (contextBytes > limits.maxEventBytes) throw new BatchContextTooLargeError(limits.maxEventBytes);
    if (contextBytes * batch.events.length > MAX_BATCH_CONTEXT_COPY_BYTES) {
      throw new BatchContextTooLargeError(limits.maxEventBytes, {
        events: batch.events.length,
        limitTotalBytes: MAX_BATCH_CONTEXT_COPY_BYTES,
      });
    }
  }
  return batch;
};

const shape = (route: CollectorRoute, body: unknown): IntakeBatch => {
  switch (route.kind) {
    case 'native': {
      const object = requireObject(body, 'expected a JSON object: one event, or {"events": [...]}');
      if (!Object.hasOwn(object, 'events')) return { intake: 'native', events: [object], wrapped: false };
      const events = object.events;
      if (!Array.isArray(events)) throw new InvalidBodyShapeError('/events', 'must be an array of events');
      const sentAt = optionalString(object, 'sent_at');
      return { intake: 'native', events, wrapped: true, ...(sentAt === undefined ? {} : { sentAt }) };
    }
    case 'segment-batch': {
      const object = requireObject(body, 'expected a JSON object {"batch": [...]}');
      const events = object.batch;
      if (!Array.isArray(events)) throw new InvalidBodyShapeError('/batch', 'must be an array of calls');
      const sentAt = optionalString(object, 'sentAt');
      const context = object.context;
      if (context !== undefined && context !== null && !isObject(context)) {
        throw new InvalidBodyShapeError('/context', 'must be an object');
      }
      return {
        intake: 'segment',
        events,
        wrapped: true,
        ...(sentAt === undefined ? {} : { sentAt }),
        ...(isObject(context) ? { context } : {}),
      };
    }
    case 'segment-call':
      requireObject(body, `expected a JSON object (one ${route.call} call)`);
      return { intake: 'segment', call: route.call, events: [body], wrapped: false };
    case 'health':
      throw new InvalidBodyShapeError('', 'this route takes no events');
  }
};

const requireObject = (body: unknown, problem: string): Record<string, unknown> => {
  if (!isObject(body)) throw new InvalidBodyShapeError('', `${problem}; got ${kindOf(body)}`);
  return body;
};

const optionalString = (object: Record<string, unknown>, field: string): string | undefined => {
  const value = object[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new InvalidBodyShapeError(`/${field}`, 'must be an ISO-8601 string');
  return value;
};

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const kindOf = (value: unknown): string =>
  Array.isArray(value) ? 'an array' : value === null ? 'null' : `a ${typeof value}`;
