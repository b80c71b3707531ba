import type { Platform, RejectReason, SegmentCallType } from './envelope.ts';

/**
 * One event read out of its intake format (native or Segment), before the feature catalog
 * and the schema registry have their say. Times are epoch milliseconds (already parsed and
 * checked); `properties`, `traits` and `context` are the event's own values, untouched.
 */
export interface NormalisedEvent {
  readonly call: SegmentCallType | 'event';
  readonly event_name: string;
  readonly event_id: string | null;
  /** SchemaVer the event asked to be validated against, or null for "latest". */
  readonly requested_version: string | null;
  readonly occurred_ms: number | null;
  /** `occurred_ms` as ISO-8601 UTC text (`toISOString` form). */
  readonly occurred_at: string | null;
  /**
   * `occurred_ms` is a time the caller set explicitly (Segment-format `timestamp` sent next to
   * `originalTimestamp`, as RudderStack's SDKs do): event_ts takes it as is, with no clock-skew
   * correction from `sent_ms`.
   */
  readonly occurred_explicit: boolean;
  readonly sent_ms: number | null;
  readonly sent_at: string | null;
  readonly user_id: string | null;
  readonly anonymous_id: string | null;
  readonly workspace_id: string | null;
  /** Feature as the client named it; the catalog resolves it. */
  readonly feature_raw: string | null;
  readonly platform: Platform | null;
  readonly app_version: string | null;
  readonly locale: string | null;
  /** Page or screen name (Segment `name`). */
  readonly name: string | null;
  /** Alias' previous id (Segment `previousId`). */
  readonly previous_id: string | null;
  /**
   * The event's own objects, as sent. `properties` and `traits` are undefined when the event has
   * none (absent or null), so a schema's `required` on them fails; `context` is `{}` then.
   */
  readonly properties: unknown;
  readonly traits: unknown;
  readonly context: unknown;
}

/**
 * What reading an event gives: the event, or why it cannot be read. Partial identifiers
 * travel with a failure so the rejected line still says whose event it was.
 */
export type NormaliseResult =
  | { readonly ok: true; readonly event: NormalisedEvent }
  | { readonly ok: false; readonly reason: RejectReason; readonly partial: PartialIdentity };

export interface PartialIdentity {
  readonly event_name: string | null;
  readonly event_id: string | null;
  readonly workspace_id: string | null;
  readonly user_id: string | null;
}
