import type { CollectMeta } from './envelope.ts';

/**
 * A collected record is what the collector puts on the stream for one event:
 * `<meta JSON>\n<event JSON>`. JSON.stringify never emits a raw newline, so the first
 * newline always ends the meta line; keeping the event's text separate lets the validator
 * splice it into its output instead of re-serialising it.
 */
export const encodeCollectedRecord = (meta: CollectMeta, eventJson: string): string =>
  `${JSON.stringify(meta)}\n${eventJson}`;

export interface DecodedRecord {
  /** Parsed meta, or null when the record has no meta line (foreign producer or corruption). */
  readonly meta: CollectMeta | null;
  /** The event's JSON text, exactly as written. */
  readonly eventText: string;
}

/** Splits a collected record; it never throws, so malformed records can still be rejected with a reason. */
export const decodeCollectedRecord = (text: string): DecodedRecord => {
  const newline = text.indexOf('\n');
  if (newline < 0) return { meta: null, eventText: text };
  try {
    const meta: unknown = JSON.parse(text.slice(0, newline));
    if (isCollectMeta(meta)) return { meta, eventText: text.slice(newline + 1) };
  } catch {
    // fall through: treat the whole record as the event text
  }
  return { meta: null, eventText: text };
};

const isCollectMeta = (value: unknown): value is CollectMeta =>
  typeof value === 'object' &&
  value !== null &&
  (value as { v?: unknown }).v === 1 &&
  typeof (value as { source_id?: unknown }).source_id === 'string' &&
  typeof (value as { received_at?: unknown }).received_at === 'string';
