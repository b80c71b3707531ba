import { createHash } from 'node:crypto';
import { MalformedAuthorizationError } from './errors.ts';

/** Header carrying the write key for clients that cannot do HTTP Basic. */
export const WRITE_KEY_HEADER = 'X-Tally-Write-Key';

/** Field Segment's browser SDK puts the key in (top level of the body); always stripped from stored events. */
export const BODY_WRITE_KEY_FIELD = 'writeKey';

/** How keys are stored: lower-case sha256 hex of the key's UTF-8 bytes. */
export const hashWriteKey = (key: string): string => createHash('sha256').update(key, 'utf8').digest('hex');

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * The write key sent in headers: `X-Tally-Write-Key`, else the username of an HTTP Basic
 * `Authorization` (password ignored, as Segment does; a credential without a colon is the key).
 * Undefined when neither header is present; throws MalformedAuthorizationError on a bad header.
 */
export const headerWriteKey = (header: (name: string) => string | undefined): string | undefined => {
  const direct = header(WRITE_KEY_HEADER)?.trim();
  if (direct !== undefined && direct !== '') return direct;
  const authorization = header('authorization')?.trim();
  if (authorization === undefined || authorization === '') return undefined;
  const match = /^basic\s+(\S+)$/i.exec(authorization);
  if (match === null)
    throw new MalformedAuthorizationError('use the Basic scheme with the write key as username');
  const encoded = match[1] as string;
  if (!BASE64.test(encoded)) throw new MalformedAuthorizationError('the Basic credential is not base64');
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const username = colon === -1 ? decoded : decoded.slice(0, colon);
  if (username === '') throw new MalformedAuthorizationError('the Basic username (the write key) is empty');
  return username;
};

/** The `writeKey` at the top level of a parsed body (Segment browser SDK style), if it is a non-empty string. */
export const bodyWriteKey = (body: unknown): string | undefined => {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const key: unknown = Object.hasOwn(body, BODY_WRITE_KEY_FIELD)
    ? (body as Record<string, unknown>)[BODY_WRITE_KEY_FIELD]
    : undefined;
  return typeof key === 'string' && key.trim() !== '' ? key.trim() : undefined;
};
