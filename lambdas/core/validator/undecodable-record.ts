import { decodeCollectedRecord } from '#core/contract/collected-record.ts';
import type { RejectedLine } from '#core/contract/envelope.ts';
import { wellFormedStrings } from '#core/contract/unicode.ts';
import type { StreamedRecord } from './streamed-record.ts';

/** A rejected line for a record whose bytes are not UTF-8: `raw_record_base64` is always set. */
export type UndecodableRejectedLine = RejectedLine & { readonly raw_record_base64: string };

export const UNDECODABLE_MESSAGE =
  'record data is not valid UTF-8; the original bytes are kept base64-encoded in raw_record_base64';

/**
 * Builds the rejected line of a record whose data is not valid UTF-8. The identifying fields
 * (source, event name and id, lineage) are taken from `validatedLine`, the line the validator
 * produced for the lossy text (good or bad), so they match what any other line would carry.
 */
export const rejectUndecodable = (
  record: StreamedRecord & { readonly rawBase64: string },
  validatedLine: string,
): string => {
  const fields = parseObject(validatedLine);
  const meta = decodeCollectedRecord(record.data).meta;
  const lineage = isObject(fields.lineage) ? fields.lineage : {};
  const line: UndecodableRejectedLine = {
    reason: { code: 'MALFORMED_RECORD', message: UNDECODABLE_MESSAGE },
    source_id: text(fields.source_id) ?? meta?.source_id ?? null,
    received_at: text(fields.received_at) ?? meta?.received_at ?? record.arrivedAt,
    request_id: text(fields.request_id) ?? meta?.request_id ?? null,
    intake:
      fields.intake === 'native' || fields.intake === 'segment' ? fields.intake : (meta?.intake ?? null),
    event_name: text(fields.event_name),
    event_id: text(fields.event_id),
    workspace_id: text(fields.workspace_id),
    user_id: text(fields.user_id),
    raw_record: record.data,
    lineage: {
      validator_build: text(lineage.validator_build) ?? 'unknown',
      dedup_algo: text(lineage.dedup_algo) ?? 'unknown',
      schema_version: null,
    },
    raw_record_base64: record.rawBase64,
  };
  // The meta fields come from the lossy text, where an escape may still spell a lone surrogate.
  return JSON.stringify(line, wellFormedStrings);
};

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const parseObject = (json: string): Record<string, unknown> => {
  try {
    const value: unknown = JSON.parse(json);
    return isObject(value) ? value : {};
  } catch {
    return {};
  }
};

const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);
