import type { CanonicalEvent, CollectMeta, RejectedLine, RejectReason } from '#core/contract/envelope.ts';
import type { PartialIdentity } from '#core/contract/normalised-event.ts';
import { DEDUP_ALGO } from '#core/dedup/dedup-key.ts';

/**
 * The validated line: the canonical fields serialised once, then the event's own JSON text
 * spliced in as `payload`, byte for byte (no re-serialisation, so no cost and no drift).
 * Raw line breaks can only be insignificant whitespace in valid JSON (inside strings they
 * must be escaped), so turning them into spaces keeps the line one NDJSON line, losslessly.
 */
export const validatedLine = (event: CanonicalEvent, eventText: string): string => {
  const head = JSON.stringify(event);
  const payload =
    eventText.includes('\n') || eventText.includes('\r') ? eventText.replace(/[\r\n]/g, ' ') : eventText;
  return `${head.slice(0, -1)},"payload":${payload}}`;
};

export const NO_IDENTITY: PartialIdentity = {
  event_name: null,
  event_id: null,
  workspace_id: null,
  user_id: null,
};

/** The rejected line: the reason, what is known of the event, and the whole record for replay. */
export const rejectedLine = (
  reason: RejectReason,
  recordText: string,
  meta: CollectMeta | null,
  receivedAt: string,
  identity: PartialIdentity,
  build: string,
  schemaVersion: string | null,
): string => {
  const line: RejectedLine = {
    reason,
    source_id: meta?.source_id ?? null,
    received_at: receivedAt,
    request_id: meta?.request_id ?? null,
    intake: meta?.intake ?? null,
    event_name: identity.event_name,
    event_id: identity.event_id,
    workspace_id: identity.workspace_id,
    user_id: identity.user_id,
    raw_record: recordText,
    lineage: { validator_build: build, dedup_algo: DEDUP_ALGO, schema_version: schemaVersion },
  };
  return JSON.stringify(line);
};
