import { isUtf8 } from 'node:buffer';
import {
  EmptyBodyError,
  InvalidUtf8Error,
  RequestTooLargeError,
  UnsupportedContentEncodingError,
  UnsupportedContentTypeError,
} from './errors.ts';
import type { InflateBody } from './ports.ts';

/**
 * Media types the collector reads as JSON. `text/plain` is accepted because Segment's browser
 * SDK sends it (a "simple" CORS request that skips the preflight); the body must still be JSON.
 */
export const ACCEPTED_CONTENT_TYPES = ['application/json', 'text/plain'] as const;

/** The body as JSON text, plus how many bytes a leading BOM took (so error positions stay byte-exact). */
export interface BodyText {
  readonly text: string;
  readonly offsetBytes: number;
  /**
   * Set when the client declared no JSON media type (a gzip body is read whatever its Content-Type
   * says, see {@link readBodyText}): the Content-Type it sent, or `null` for none. Such a body must
   * parse as JSON, or the request is refused with 415 instead of a JSON syntax error.
   */
  readonly undeclared?: string | null;
}

/**
 * Checks Content-Type and Content-Encoding, undoes API Gateway's base64, inflates gzip while
 * refusing to inflate past `maxBodyBytes` (zip bombs stop at the limit, they are never fully
 * expanded), and decodes strict UTF-8.
 *
 * A gzip body is read whatever its Content-Type claims: RudderStack's Node SDK, in its default
 * setup, posts gzipped JSON as `application/x-www-form-urlencoded` (axios' default for a Buffer)
 * and does not retry a 415, so refusing the label would drop every event it sends. The body
 * still has to be UTF-8 JSON: anything else is refused 415 here or in `parseJsonBody`.
 */
export const readBodyText = async (
  body: Uint8Array | string | undefined,
  isBase64Encoded: boolean,
  header: (name: string) => string | undefined,
  maxBodyBytes: number,
  inflate: InflateBody,
): Promise<BodyText> => {
  const contentType = header('content-type');
  const gzipped = isGzip(header('content-encoding'));
  const declared = isJsonContentType(contentType);
  if (!declared && !gzipped) throw new UnsupportedContentTypeError(contentType, ACCEPTED_CONTENT_TYPES);
  const raw = rawBytes(body, isBase64Encoded, maxBodyBytes);
  if (raw.length === 0) throw new EmptyBodyError();
  const bytes = gzipped ? await inflate(raw, maxBodyBytes) : raw;
  if (bytes.length === 0) throw new EmptyBodyError();
  if (!isUtf8(bytes)) {
    if (!declared)
      throw new UnsupportedContentTypeError(contentType, ACCEPTED_CONTENT_TYPES, 'not UTF-8 text');
    throw new InvalidUtf8Error(firstInvalidUtf8Offset(bytes));
  }
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('utf8');
  const undeclared = declared ? {} : { undeclared: contentType ?? null };
  return text.charCodeAt(0) === 0xfeff
    ? { text: text.slice(1), offsetBytes: 3, ...undeclared }
    : { text, offsetBytes: 0, ...undeclared };
};

/** A media type of ACCEPTED_CONTENT_TYPES with no charset, or a UTF-8 one. */
const isJsonContentType = (contentType: string | undefined): boolean => {
  if (contentType === undefined) return false;
  const [mediaType = '', ...params] = contentType.split(';').map((p) => p.trim().toLowerCase());
  const charsetOk = params.every((p) => {
    const [name, value = ''] = p.split('=', 2).map((s) => s.trim());
    return name !== 'charset' || ['utf-8', 'utf8'].includes(value.replace(/^"|"$/g, ''));
  });
  return (ACCEPTED_CONTENT_TYPES as readonly string[]).includes(mediaType) && charsetOk;
};

const isGzip = (encoding: string | undefined): boolean => {
  const value = encoding?.trim().toLowerCase() ?? '';
  if (value === '' || value === 'identity') return false;
  if (value === 'gzip' || value === 'x-gzip') return true;
  throw new UnsupportedContentEncodingError(encoding ?? '');
};

const rawBytes = (body: Uint8Array | string | undefined, isBase64: boolean, maxBytes: number): Uint8Array => {
  if (body === undefined) return new Uint8Array(0);
  if (typeof body !== 'string') {
    if (body.length > maxBytes) throw new RequestTooLargeError(maxBytes, false);
    return body;
  }
  // Size is checked before decoding: 4 base64 characters carry 3 bytes, a UTF-8 character at least 1.
  if (isBase64) {
    if (Math.floor((body.length * 3) / 4) - 2 > maxBytes) throw new RequestTooLargeError(maxBytes, false);
    const bytes = Buffer.from(body, 'base64');
    if (bytes.length > maxBytes) throw new RequestTooLargeError(maxBytes, false);
    return bytes;
  }
  if (body.length > maxBytes) throw new RequestTooLargeError(maxBytes, false);
  const bytes = Buffer.from(body, 'utf8');
  if (bytes.length > maxBytes) throw new RequestTooLargeError(maxBytes, false);
  return bytes;
};

/** Offset of the lead byte of the first ill-formed UTF-8 sequence (overlongs and surrogates included), or -1. */
export const firstInvalidUtf8Offset = (bytes: Uint8Array): number => {
  let i = 0;
  const cont = (at: number, lo = 0x80, hi = 0xbf): boolean => {
    const b = bytes[at];
    return b !== undefined && b >= lo && b <= hi;
  };
  while (i < bytes.length) {
    const b = bytes[i] as number;
    let length = 0;
    if (b < 0x80) length = 1;
    else if (b >= 0xc2 && b <= 0xdf) length = cont(i + 1) ? 2 : 0;
    else if (b >= 0xe0 && b <= 0xef) {
      const [lo, hi] = b === 0xe0 ? [0xa0, 0xbf] : b === 0xed ? [0x80, 0x9f] : [0x80, 0xbf];
      length = cont(i + 1, lo, hi) && cont(i + 2) ? 3 : 0;
    } else if (b >= 0xf0 && b <= 0xf4) {
      const [lo, hi] = b === 0xf0 ? [0x90, 0xbf] : b === 0xf4 ? [0x80, 0x8f] : [0x80, 0xbf];
      length = cont(i + 1, lo, hi) && cont(i + 2) && cont(i + 3) ? 4 : 0;
    }
    if (length === 0) return i;
    i += length;
  }
  return -1;
};
