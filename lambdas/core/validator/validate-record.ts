import { deriveEventTime, parseClientTime } from '#core/contract/client-time.ts';
import { decodeCollectedRecord } from '#core/contract/collected-record.ts';
import {
  type CanonicalEvent,
  type CollectMeta,
  type Lineage,
  type RejectReason,
  type RejectReasonCode,
  UNSTATED_TRACKING_PLAN,
} from '#core/contract/envelope.ts';
import { canonicalTimeText, formatTime } from '#core/contract/format-time.ts';
import { exceedsNestingDepth } from '#core/contract/json-depth.ts';
import { asObject, EMPTY_OBJECT, type JsonObject } from '#core/contract/json-fields.ts';
import {
  isStorableTime,
  MAX_EVENT_BYTES,
  MAX_NESTING_DEPTH,
  TIME_RANGE_TEXT,
} from '#core/contract/limits.ts';
import { normaliseEvent } from '#core/contract/normalise-event.ts';
import type { NormalisedEvent, NormaliseResult, PartialIdentity } from '#core/contract/normalised-event.ts';
import { isReadableMetaPlan } from '#core/contract/tracking-plan.ts';
import { findLoneSurrogate, isWellFormed, mayHoldLoneSurrogate } from '#core/contract/unicode.ts';
import { contentDedupKey, DEDUP_ALGO, eventIdDedupKey } from '#core/dedup/dedup-key.ts';
import type { FeatureCatalog } from '#core/schema/feature-catalog.ts';
import { type SchemaRegistry, violationReason } from '#core/schema/schema-registry.ts';
import { validateView } from './canonical-view.ts';
import { NO_IDENTITY, rejectedLine, validatedLine } from './record-lines.ts';

/** What validating a record needs; built once per process (schemas compiled at start-up). */
export interface ValidatorDeps {
  readonly registry: SchemaRegistry;
  readonly catalog: FeatureCatalog;
  /** Identifies the validator code (e.g. git sha or package version); stamped into every line's lineage. */
  readonly build: string;
  /** Largest event accepted, in UTF-8 bytes of its JSON text. Default {@link MAX_EVENT_BYTES} (32 KiB). */
  readonly maxEventBytes?: number;
}

/** One record's verdict; `line` is the NDJSON line (without newline) for the events or the rejected sink. */
export type RecordOutcome =
  | { readonly ok: true; readonly line: string; readonly event: CanonicalEvent }
  | { readonly ok: false; readonly line: string; readonly reason: RejectReason };

/**
 * Validates one collected record (`<meta JSON>\n<event JSON>`) into a validated or rejected
 * line. Pure and deterministic: the same record gives a byte-identical line on any machine
 * at any time, so any partition can be replayed. It never throws for bad input.
 *
 * Checks, in order (the first failure is the reason): meta line present
 * (MALFORMED_RECORD), its receipt time (INVALID_TIMESTAMP), the collector's precheck, size
 * (EVENT_TOO_LARGE), JSON (MALFORMED_JSON), an object (NOT_AN_OBJECT), nesting
 * (NESTING_TOO_DEEP), strings no warehouse stores (INVALID_UNICODE), names, identifiers and
 * times (MISSING_KEY, SCHEMA_VIOLATION, INVALID_TIMESTAMP, NUMBER_OUT_OF_RANGE, also for the derived
 * event_ts), schema lookup (UNKNOWN_SCHEMA, UNKNOWN_SCHEMA_VERSION: by the meta line's tracking plan,
 * `strict` when it names none), schema validation (SCHEMA_VIOLATION, against the permissive schema for
 * an event an `allow` source sent without a schema of its own, which is then `planned` false). Every
 * time a line carries lies in 1583-01-01 to 9999-12-30 and every string is well-formed, so both
 * warehouses load every line.
 *
 * @param arrivedAt the stream's arrival time; used as `received_at` only when the record has no meta.
 */
/** Validates one collected record; see {@link validateRecord} (loaded by `loadValidator`). */
export type RecordValidator = (recordText: string, arrivedAt: string) => RecordOutcome;

export const validateRecord = (recordText: string, arrivedAt: string, deps: ValidatorDeps): RecordOutcome => {
  const { meta, eventText } = decodeCollectedRecord(recordText);
  if (meta === null) {
    return reject(deps, recordText, null, arrivedAt, NO_IDENTITY, null, {
      code: 'MALFORMED_RECORD',
      message: 'the record has no collector meta line (expected `<meta JSON>\\n<event JSON>`)',
    });
  }
  // Only an escape can spell a lone surrogate in decoded UTF-8 text (see unicode.ts), and most records have none.
  const hasBackslash = recordText.includes('\\');
  const receivedMs = parseClientTime(meta.received_at);
  if (
    (meta.intake !== 'native' && meta.intake !== 'segment') ||
    Number.isNaN(receivedMs) ||
    (hasBackslash && !isWellFormed(meta.source_id)) ||
    !isReadableMetaPlan(meta.tracking_plan)
  ) {
    return reject(deps, recordText, meta, arrivedAt, NO_IDENTITY, null, {
      code: 'MALFORMED_RECORD',
      message:
        'the meta line needs intake "native" or "segment", an ISO-8601 received_at, a well-formed source_id and, when present, tracking_plan "allow" or "strict"',
    });
  }
  if (!isStorableTime(receivedMs)) {
    return reject(deps, recordText, meta, arrivedAt, NO_IDENTITY, null, {
      code: 'INVALID_TIMESTAMP',
      message: `the meta line's received_at is outside ${TIME_RANGE_TEXT}, the range the warehouse stores: ${meta.received_at.slice(0, 64)}`,
    });
  }
  const receivedAt = canonicalTimeText(meta.received_at, receivedMs);
  if (meta.precheck !== undefined) {
    return reject(deps, recordText, meta, receivedAt, NO_IDENTITY, null, {
      code: meta.precheck,
      message: `rejected by the collector at intake (${meta.precheck})${PRECHECK_NOTES[meta.precheck] ?? ''}`,
    });
  }

  const maxBytes = deps.maxEventBytes ?? MAX_EVENT_BYTES;
  // UTF-16 length bounds the UTF-8 size (1 to 3 bytes per unit), so most events skip the exact count.
  if (
    eventText.length > maxBytes ||
    (eventText.length * 3 > maxBytes && Buffer.byteLength(eventText) > maxBytes)
  ) {
    return reject(deps, recordText, meta, receivedAt, NO_IDENTITY, null, {
      code: 'EVENT_TOO_LARGE',
      message: `the event is ${Buffer.byteLength(eventText)} bytes; the limit is ${maxBytes}`,
    });
  }

  let parsed: unknown;
  try {
    parsed = JSON.parse(eventText);
  } catch (error) {
    return reject(deps, recordText, meta, receivedAt, NO_IDENTITY, null, {
      code: 'MALFORMED_JSON',
      message: `the event is not valid JSON: ${(error as Error).message}`,
    });
  }
  const object = asObject(parsed);
  if (object === undefined) {
    return reject(deps, recordText, meta, receivedAt, NO_IDENTITY, null, {
      code: 'NOT_AN_OBJECT',
      message: `the event must be a JSON object, got ${Array.isArray(parsed) ? 'an array' : parsed === null ? 'null' : typeof parsed}`,
    });
  }
  if (exceedsNestingDepth(eventText, MAX_NESTING_DEPTH)) {
    return reject(deps, recordText, meta, receivedAt, NO_IDENTITY, null, {
      code: 'NESTING_TOO_DEEP',
      message: `the event nests objects/arrays deeper than ${MAX_NESTING_DEPTH} levels`,
    });
  }

  const normalised = normaliseEvent(object, meta);
  const unicode = loneSurrogate(recordText, hasBackslash, object, meta);
  if (unicode !== null) {
    return reject(deps, recordText, meta, receivedAt, identityOf(normalised), null, unicode);
  }
  if (!normalised.ok) {
    return reject(deps, recordText, meta, receivedAt, normalised.partial, null, normalised.reason);
  }
  const event = normalised.event;
  const identity: PartialIdentity = event;

  // an explicit time (Segment `timestamp` next to `originalTimestamp`) is the event time as sent: no skew correction
  const eventMs = deriveEventTime(
    receivedMs,
    event.occurred_explicit ? null : event.sent_ms,
    event.occurred_ms,
  );
  if (!isStorableTime(eventMs)) {
    return reject(deps, recordText, meta, receivedAt, identity, null, {
      code: 'INVALID_TIMESTAMP',
      message: `event_ts = received_at - (sent_at - occurred_at) falls outside ${TIME_RANGE_TEXT}: sent_at ${event.sent_at} and occurred_at ${event.occurred_at} are too far apart to correct the device clock`,
    });
  }

  const schema = deps.registry.resolve(
    event.event_name,
    event.requested_version,
    meta.tracking_plan ?? UNSTATED_TRACKING_PLAN,
  );
  if (!schema.ok) return reject(deps, recordText, meta, receivedAt, identity, null, schema.reason);

  const feature = event.feature_raw === null ? null : deps.catalog.resolve(event.feature_raw);
  const featureId = feature === null ? null : feature.id;
  if (!validateView(schema.validate, event, featureId)) {
    return reject(
      deps,
      recordText,
      meta,
      receivedAt,
      identity,
      schema.version,
      violationReason(schema.validate.errors),
    );
  }

  const occurredAt = event.occurred_at;
  const canonical: CanonicalEvent = {
    dedup_key: dedupKey(meta, event, occurredAt),
    event_id: event.event_id,
    event_name: event.event_name,
    schema_version: schema.version,
    planned: schema.planned,
    occurred_at: occurredAt,
    sent_at: event.sent_at,
    received_at: receivedAt,
    event_ts:
      eventMs === receivedMs ? receivedAt : eventMs === event.occurred_ms ? occurredAt! : formatTime(eventMs),
    user_id: event.user_id,
    anonymous_id: event.anonymous_id,
    workspace_id: event.workspace_id,
    feature_id: featureId,
    feature_known: feature === null ? null : feature.known,
    platform: event.platform,
    app_version: event.app_version,
    locale: event.locale,
    source_id: meta.source_id,
    intake: meta.intake,
    call: event.call,
    lineage: lineageOf(deps.build, schema.version),
  };
  const line = validatedLine(canonical, eventText, hasBackslash);
  return { ok: true, line, event: canonical };
};

/**
 * Lineage objects are read-only and the same for every event of a build and schema version:
 * the last one is shared instead of allocating one per event.
 */
let lastLineage: Lineage = { validator_build: '', dedup_algo: DEDUP_ALGO, schema_version: '' };
const lineageOf = (build: string, schemaVersion: string): Lineage => {
  if (lastLineage.validator_build !== build || lastLineage.schema_version !== schemaVersion) {
    lastLineage = Object.freeze({
      validator_build: build,
      dedup_algo: DEDUP_ALGO,
      schema_version: schemaVersion,
    });
  }
  return lastLineage;
};

const dedupKey = (meta: CollectMeta, event: NormalisedEvent, occurredAt: string | null): string =>
  event.event_id !== null
    ? eventIdDedupKey(meta.source_id, event.workspace_id, event.event_id)
    : contentDedupKey(meta.source_id, {
        event_name: event.event_name,
        occurred_at: occurredAt,
        user_id: event.user_id,
        anonymous_id: event.anonymous_id,
        workspace_id: event.workspace_id,
        feature: event.feature_raw,
        name: event.name,
        previous_id: event.previous_id,
        // Absent objects hash as `{}`, as they did when the normalisers substituted it (DEDUP_ALGO v1).
        properties: event.properties ?? EMPTY_OBJECT,
        traits: event.traits ?? EMPTY_OBJECT,
      });

/** What the rejected line says of an event, whether or not it could be read. */
const identityOf = (normalised: NormaliseResult): PartialIdentity =>
  normalised.ok ? normalised.event : normalised.partial;

/** What the rejected line's message adds to a collector precheck, where the record alone would mislead. */
const PRECHECK_NOTES: Partial<Record<RejectReasonCode, string>> = {
  NUMBER_OUT_OF_RANGE:
    ': a number in the event is beyond the range of a 64-bit float; the record shows null in its place',
};

/**
 * INVALID_UNICODE when a string or key of the event holds a lone surrogate, which no warehouse
 * stores (the batch-level Segment context counts: it feeds the event's fields); null otherwise.
 * Looks at the text first (an escaped surrogate needs a backslash) and walks the parsed event only
 * when it holds one.
 *
 * Numbers need no such look here: the event text is the collector's serialisation, which cannot
 * hold a literal beyond a double (it writes `null`), so the collector rejects those, reading the
 * client's own text (NUMBER_OUT_OF_RANGE); a scan of every event for them would cost the validator
 * a tenth of its time. A time or identifier that reads as Infinity is still NUMBER_OUT_OF_RANGE here.
 */
const loneSurrogate = (
  recordText: string,
  hasBackslash: boolean,
  event: JsonObject,
  meta: CollectMeta,
): RejectReason | null => {
  if (!mayHoldLoneSurrogate(recordText, hasBackslash)) return null;
  const at = findLoneSurrogate(event) ?? findLoneSurrogate(meta.context, '/batch/context');
  if (at === null) return null;
  return {
    code: 'INVALID_UNICODE',
    message: `${at || '/'} holds a lone UTF-16 surrogate (a \\uD800-\\uDFFF escape without its pair), which no warehouse can store`,
    path: at,
  };
};

const reject = (
  deps: ValidatorDeps,
  recordText: string,
  meta: CollectMeta | null,
  receivedAt: string,
  identity: PartialIdentity,
  schemaVersion: string | null,
  reason: RejectReason,
): RecordOutcome => ({
  ok: false,
  reason,
  line: rejectedLine(reason, recordText, meta, receivedAt, identity, deps.build, schemaVersion),
});
