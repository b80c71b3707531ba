import { isUtf8 } from 'node:buffer';

/** One stream record as the validator core sees it, whatever the stream (Kinesis, the local log). */
export interface StreamedRecord {
  /** The stream's id of the record; reported back when the record must be retried. */
  readonly sequenceNumber: string;
  /** The record's data as UTF-8 text (when `rawBase64` is set: a lossy decoding, for humans only). */
  readonly data: string;
  /** When the stream received the record, ISO-8601 UTC. */
  readonly arrivedAt: string;
  /** Present only when the data is not valid UTF-8: the exact bytes, base64, so nothing is lost. */
  readonly rawBase64?: string;
}

/**
 * Turns a record's bytes into a {@link StreamedRecord}. Bytes that are not valid UTF-8 would be
 * silently altered by decoding (invalid sequences become U+FFFD), so such records keep their
 * original bytes and are rejected as MALFORMED_RECORD by the batch processor.
 */
export const toStreamedRecord = (
  sequenceNumber: string,
  bytes: Uint8Array,
  arrivedAt: string,
): StreamedRecord => {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const data = buffer.toString('utf8');
  return isUtf8(buffer)
    ? { sequenceNumber, data, arrivedAt }
    : { sequenceNumber, data, arrivedAt, rawBase64: buffer.toString('base64') };
};
