import type {
  CanonicalEvent,
  CollectMeta,
  Lineage,
  RejectedLine,
  RejectReason,
} from '#core/contract/envelope.ts';
import type { PartialIdentity } from '#core/contract/normalised-event.ts';
import { wellFormedStrings } from '#core/contract/unicode.ts';
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
 * and versions) need no escaping. Client strings need none either when the record text has
 * no backslash (`recordHasEscapes` false): a string parsed from JSON can only hold a quote,
 * a backslash or a control character if its source spelt it with an escape.
 */
export const validatedLine = (
  event: CanonicalEvent,
  eventText: string,
  recordHasEscapes: boolean,
): string => {
  const payload = eventText.includes('\n') ? eventText.replace(/\n/g, ' ') : eventText;
  const text = recordHasEscapes ? quote : plain;
  const feature = event.feature_known === true ? `"${event.feature_id}"` : text(event.feature_id);
  return `{"dedup_key":"${event.dedup_key}","event_id":${text(event.event_id)},"event_name":"${event.event_name}","schema_version":"${event.schema_version}","occurred_at":${plain(event.occurred_at)},"sent_at":${plain(event.sent_at)},"received_at":"${event.received_at}","event_ts":"${event.event_ts}","user_id":${text(event.user_id)},"anonymous_id":${text(event.anonymous_id)},"workspace_id":${text(event.workspace_id)},"feature_id":${feature},"feature_known":${event.feature_known},"platform":${plain(event.platform)},"app_version":${text(event.app_version)},"locale":${text(event.locale)}${tail(event)}${payload}}`;
};

/**
 * The fields after `locale` up to `"payload":`. They change little (one source, intake and
 * call per batch; one build per process; few schema versions), so the last text is kept
 * and rebuilt only when one of them changes.
 */
let tailSource = '';
let tailIntake = '';
let tailCall = '';
let tailLineage: Lineage | null = null;
let tailText = '';
const tail = (event: CanonicalEvent): string => {
  const lineage = event.lineage;
  // Lineage objects are shared per build and schema version, so identity is the cheap test.
  if (
    tailLineage !== lineage ||
    tailCall !== event.call ||
    tailIntake !== event.intake ||
    tailSource !== event.source_id
  ) {
    tailLineage = lineage;
    tailCall = event.call;
    tailIntake = event.intake;
    tailSource = event.source_id;
    tailText = `,"source_id":${JSON.stringify(event.source_id)},"intake":"${event.intake}","call":"${event.call}","lineage":{"validator_build":${JSON.stringify(lineage.validator_build)},"dedup_algo":"${lineage.dedup_algo}","schema_version":"${lineage.schema_version}"},"payload":`;
  }
  return tailText;
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

/**
 * The rejected line: the reason, what is known of the event, and the whole record for replay.
 * Every string is written well-formed (a lone surrogate becomes U+FFFD), so the line loads whatever
 * the event held: identifiers and messages may quote the event. `raw_record` loses nothing by it,
 * as records are decoded UTF-8 text where a lone surrogate can only be an escape's six characters.
 */
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
  return JSON.stringify(line, wellFormedStrings);
};
