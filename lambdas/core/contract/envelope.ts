/**
 * The event contract shared by every stage (DESIGN section 4).
 *
 * Wire formats, in the order an event meets them:
 *   1. the client's request (native `POST /v1/events` or the Segment HTTP API);
 *   2. a *collected record* on the stream: one per event, written by the collector;
 *   3. a *validated line* (one NDJSON line) or a *rejected line*, written by the validator
 *      to the events / rejected sinks, landed in `events/` and `rejected/` and loaded into
 *      `raw.events` / `raw.rejected_events`.
 */

/** How the event reached the collector; Segment calls keep their call type. */
export type IntakeFormat = 'native' | 'segment';
export type SegmentCallType = 'track' | 'identify' | 'page' | 'screen' | 'group' | 'alias';

/** Normalised platforms. Anything unrecognised becomes `other` (and the raw value stays in the payload). */
export const PLATFORMS = ['web', 'ios', 'android', 'backend', 'other'] as const;
export type Platform = (typeof PLATFORMS)[number];

/**
 * What the collector knows about an event that is not in the event itself. Written as the
 * first line of a collected record; the event's own JSON text follows on the second line,
 * byte for byte as the collector serialised it, so the validator can splice it into its
 * output without re-serialising.
 */
export interface CollectMeta {
  /** Record format version. */
  readonly v: 1;
  readonly source_id: string;
  /** Server receipt time, ISO-8601 UTC with milliseconds. */
  readonly received_at: string;
  readonly request_id: string;
  readonly intake: IntakeFormat;
  /** Segment call type from the route (`/v1/track`) when the event itself does not say. */
  readonly call?: SegmentCallType;
  /** Batch-level `sentAt` (Segment batch) when the event has none of its own. */
  readonly sent_at?: string;
  /** Batch-level Segment `context`, merged under the event's own. */
  readonly context?: Record<string, unknown>;
  /** Reason code the collector already knows the validator will give (reported to the client too). */
  readonly precheck?: RejectReasonCode;
}

/**
 * The canonical envelope: typed columns of `raw.events`, emitted by the validator.
 * `payload` is the event exactly as the client sent it (properties, context, traits live
 * there); typed fields are derived from it.
 */
export interface CanonicalEvent {
  readonly dedup_key: string;
  readonly event_id: string | null;
  readonly event_name: string;
  /** SchemaVer `MODEL-REVISION-ADDITION` of the schema that validated the event. */
  readonly schema_version: string;
  readonly occurred_at: string | null;
  readonly sent_at: string | null;
  readonly received_at: string;
  /** `received_at - (sent_at - occurred_at)` when both client times exist, else occurred_at, else received_at. */
  readonly event_ts: string;
  readonly user_id: string | null;
  readonly anonymous_id: string | null;
  readonly workspace_id: string | null;
  /** Canonical dotted id after alias resolution, or the raw id when unknown (then `feature_known` is false). */
  readonly feature_id: string | null;
  readonly feature_known: boolean | null;
  readonly platform: Platform | null;
  readonly app_version: string | null;
  readonly locale: string | null;
  readonly source_id: string;
  readonly intake: IntakeFormat;
  /** Segment call type, or `event` for native events. */
  readonly call: SegmentCallType | 'event';
  readonly lineage: Lineage;
}

/** Enough to replay any partition deterministically and to know which code made a row. */
export interface Lineage {
  readonly validator_build: string;
  readonly dedup_algo: string;
  readonly schema_version: string;
}

/** One line of the events sink: the canonical fields plus the original event under `payload`. */
export type ValidatedLine = CanonicalEvent & { readonly payload: unknown };

/**
 * Machine-readable reasons an event is rejected. Stable: analysts and replays key on them.
 * `UNLOADABLE_LINE` is the loaders', not the validator's: a line of an `events/` or `rejected/` file
 * that the warehouse could not load (its file and line are the row's `file_name` / `file_row`).
 */
export const REJECT_REASONS = [
  'MALFORMED_JSON',
  'NOT_AN_OBJECT',
  'EVENT_TOO_LARGE',
  'MISSING_KEY',
  'UNKNOWN_SCHEMA',
  'UNKNOWN_SCHEMA_VERSION',
  'SCHEMA_VIOLATION',
  'INVALID_TIMESTAMP',
  'MALFORMED_RECORD',
  'NESTING_TOO_DEEP',
  'INVALID_UNICODE',
  'NUMBER_OUT_OF_RANGE',
  'UNLOADABLE_LINE',
] as const;
export type RejectReasonCode = (typeof REJECT_REASONS)[number];

/** The reasons the raw loaders give (never the validator). */
export const LOADER_REJECT_REASONS = ['UNLOADABLE_LINE'] as const satisfies readonly RejectReasonCode[];
export type LoaderRejectReasonCode = (typeof LOADER_REJECT_REASONS)[number];

export interface RejectReason {
  readonly code: RejectReasonCode;
  readonly message: string;
  /** JSON pointer of the failing value (SCHEMA_VIOLATION, MISSING_KEY). */
  readonly path?: string;
  /** Ajv keyword that failed (SCHEMA_VIOLATION). */
  readonly keyword?: string;
}

/** One line of the rejected sink: everything needed to understand and replay the event. */
export interface RejectedLine {
  readonly reason: RejectReason;
  readonly source_id: string | null;
  readonly received_at: string;
  readonly request_id: string | null;
  readonly intake: IntakeFormat | null;
  readonly event_name: string | null;
  readonly event_id: string | null;
  readonly workspace_id: string | null;
  readonly user_id: string | null;
  /**
   * The original collected record text (meta line + event line), for replay. Always well-formed:
   * a lone surrogate the event spelt as an escape is kept as that escape's text.
   */
  readonly raw_record: string;
  /**
   * Only for a record whose bytes are not valid UTF-8 (reason MALFORMED_RECORD): its exact bytes,
   * base64. `raw_record` is then a lossy decoding (U+FFFD for invalid bytes); replays use this field.
   */
  readonly raw_record_base64?: string;
  readonly lineage: Omit<Lineage, 'schema_version'> & { readonly schema_version: string | null };
}
