import type { CanonicalEvent, CollectMeta, RejectedLine, RejectReason } from '#core/contract/envelope.ts';
import type { PartialIdentity } from '#core/contract/normalised-event.ts';
import { DEDUP_ALGO } from '#core/dedup/dedup-key.ts';

/**
 * The validated line: the canonical fields, then the event's own JSON text spliced in as
 * `payload`, byte for byte (no re-serialisation, so no cost and no drift). A raw newline
 * can only be insignificant whitespace in valid JSON (inside strings it must be escaped),
 * so turning it into a space keeps the line one NDJSON line, losslessly.
 *
 * The fields are written by hand in {@link CanonicalEvent} order because this runs once per
 * event and `JSON.stringify` of the object costs more than parsing the event. Values the
 * pipeline produced itself (hex keys, formatted times, enums, catalog ids, registry names
 * and versions) need no escaping; client strings go through {@link quote}.
 */
export const validatedLine = (event: CanonicalEvent, eventText: string): string => {
  const payload = eventText.includes('\n') ? eventText.replace(/\n/g, ' ') : eventText;
  const lineage = event.lineage;
  return `{"dedup_key":"${event.dedup_key}","event_id":${quote(event.event_id)},"event_name":"${event.event_name}","schema_version":"${event.schema_version}","occurred_at":${plain(event.occurred_at)},"sent_at":${plain(event.sent_at)},"received_at":"${event.received_at}","event_ts":"${event.event_ts}","user_id":${quote(event.user_id)},"anonymous_id":${quote(event.anonymous_id)},"workspace_id":${quote(event.workspace_id)},"feature_id":${event.feature_known === true ? `"${event.feature_id}"` : quote(event.feature_id)},"feature_known":${event.feature_known},"platform":${plain(event.platform)},"app_version":${quote(event.app_version)},"locale":${quote(event.locale)},"source_id":${quote(event.source_id)},"intake":"${event.intake}","call":"${event.call}","lineage":{"validator_build":${quote(lineage.validator_build)},"dedup_algo":"${lineage.dedup_algo}","schema_version":"${lineage.schema_version}"},"payload":${payload}}`;
};

/** A string known to need no escaping, or null. */
const plain = (value: string | null): string => (value === null ? 'null' : `"${value}"`);

/** JSON text of a client string: quoted as is when nothing needs escaping, else by JSON.stringify. */
const quote = (value: string | null): string => {
  if (value === null) return 'null';
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    // Quotes, backslashes and control characters need escapes; surrogates may be lone and need them too.
    if (code < 32 || code === 34 || code === 92 || (code >= 0xd800 && code <= 0xdfff))
      return JSON.stringify(value);
  }
  return `"${value}"`;
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
