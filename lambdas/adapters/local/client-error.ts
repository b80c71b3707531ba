import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import {
  type CollectorError,
  HeadersTooLargeError,
  MalformedHttpError,
  RequestTimeoutError,
} from '#core/collector/errors.ts';
import type { HttpAnswer } from './api-gateway-event.ts';

/** What node's HTTP server hands a `clientError` listener: llhttp's `HPE_*` code and its description. */
export interface ClientError extends Error {
  readonly code?: string;
  /** llhttp's description of the fault (e.g. "Invalid method encountered"); never the request's bytes. */
  readonly reason?: string;
}

/**
 * The refusal for a request node's HTTP parser (or its request timer) gave up on, or null when
 * nobody is left to answer (the client reset or broke the connection: ECONNRESET, EPIPE, ...).
 */
export const clientErrorRefusal = (error: ClientError, maxHeaderBytes: number): CollectorError | null => {
  const code = error.code ?? '';
  if (code === 'HPE_HEADER_OVERFLOW') return new HeadersTooLargeError(maxHeaderBytes);
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return new RequestTimeoutError();
  if (code === 'HPE_INVALID_METHOD') {
    // the parser says "Invalid method encountered"; the usual cause is a lower-case method
    return new MalformedHttpError('unknown method (methods are case-sensitive: POST, GET, OPTIONS)', error);
  }
  if (code === 'HPE_INVALID_EOF_STATE') {
    return new MalformedHttpError(
      'the client shut its side of the connection before the whole request arrived',
      error,
    );
  }
  if (code.startsWith('HPE_')) return new MalformedHttpError(error.reason ?? 'unparsable request', error);
  return null;
};

/**
 * An answer as raw HTTP/1.1 bytes, for a connection node's server no longer writes to (its parser
 * failed). It always closes the connection: nothing after the bad bytes can be trusted.
 */
export const rawHttpAnswer = (answer: HttpAnswer): Buffer => {
  const lines = [`HTTP/1.1 ${answer.statusCode} ${STATUS_CODES[answer.statusCode] ?? ''}`];
  for (const [name, value] of Object.entries(answer.headers)) lines.push(`${name}: ${value}`);
  lines.push(
    `content-length: ${answer.body.length}`,
    `apigw-requestid: ${randomUUID()}`,
    `date: ${new Date().toUTCString()}`,
    'connection: close',
  );
  return Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), answer.body]);
};
