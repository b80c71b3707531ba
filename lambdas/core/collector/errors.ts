import { TallyError } from '#core/errors/tally-error.ts';

/**
 * Why the collector refused a request. Every error carries a stable machine-readable `code`,
 * a `reason` a client developer can act on (never echoing event content or keys), and the HTTP
 * status the edge should answer with. Only the edge (middleware) turns these into responses.
 */

/** Extra, code-specific facts returned to the client next to `code` and `reason`. */
export type ErrorDetails = Readonly<Record<string, string | number | readonly string[]>>;

export interface CollectorErrorOptions {
  readonly details?: ErrorDetails;
  /** Seconds the client should wait before retrying (429, 503). */
  readonly retryAfterSeconds?: number;
  readonly cause?: unknown;
}

/** Base of every request-level refusal. */
export class CollectorError extends TallyError {
  readonly code: string;
  readonly reason: string;
  readonly httpStatus: number;
  readonly details: ErrorDetails | undefined;
  readonly retryAfterSeconds: number | undefined;

  constructor(code: string, httpStatus: number, reason: string, options: CollectorErrorOptions = {}) {
    super(`${code}: ${reason}`, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CollectorError';
    this.code = code;
    this.reason = reason;
    this.httpStatus = httpStatus;
    this.details = options.details;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

/** A refusal that takes no argument: always the same class name, code, status and reason. */
const refusal = (name: string, code: string, httpStatus: number, reason: string) => {
  const Refusal = class extends CollectorError {
    constructor() {
      super(code, httpStatus, reason);
      this.name = name;
    }
  };
  Object.defineProperty(Refusal, 'name', { value: name });
  return Refusal;
};

/** 404: no route at this path. */
export class RouteNotFoundError extends CollectorError {
  constructor(path: string) {
    super('ROUTE_NOT_FOUND', 404, `no collector route at ${JSON.stringify(path.slice(0, 200))}`);
    this.name = 'RouteNotFoundError';
  }
}

/** 405: the route exists but not for this method. */
export class MethodNotAllowedError extends CollectorError {
  readonly allow: readonly string[];
  constructor(method: string, allow: readonly string[]) {
    super(
      'METHOD_NOT_ALLOWED',
      405,
      `method ${method.slice(0, 20)} is not allowed here; use ${allow.join(', ')}`,
      {
        details: { allow },
      },
    );
    this.name = 'MethodNotAllowedError';
    this.allow = allow;
  }
}

/** 401: no write key in the Authorization header, the X-Tally-Write-Key header or the body. */
export const MissingWriteKeyError = refusal(
  'MissingWriteKeyError',
  'MISSING_WRITE_KEY',
  401,
  'send the source write key as the HTTP Basic username (empty password) or in the X-Tally-Write-Key header',
);

/** 401: an Authorization header that is not a decodable HTTP Basic credential. */
export class MalformedAuthorizationError extends CollectorError {
  constructor(detail: string) {
    super('MALFORMED_AUTHORIZATION', 401, `Authorization header: ${detail}`);
    this.name = 'MalformedAuthorizationError';
  }
}

/** 403: the key belongs to no source. */
export const UnknownWriteKeyError = refusal(
  'UnknownWriteKeyError',
  'UNKNOWN_WRITE_KEY',
  403,
  'the write key is not valid for any source',
);

/** 403: the key was revoked (rotated out); the source must use its new key. */
export const RevokedWriteKeyError = refusal(
  'RevokedWriteKeyError',
  'REVOKED_WRITE_KEY',
  403,
  'the write key has been revoked; use the source’s current key',
);

/**
 * 415: the body is not declared as JSON, or (for a gzip body, which is read whatever its
 * Content-Type says) it is declared otherwise and does not decode to JSON: `gzipBody` says how.
 */
export class UnsupportedContentTypeError extends CollectorError {
  constructor(contentType: string | null | undefined, accepted: readonly string[], gzipBody?: string) {
    const declared =
      contentType === undefined || contentType === null
        ? 'missing Content-Type'
        : `Content-Type ${JSON.stringify(contentType.slice(0, 100))} is not supported`;
    super(
      'UNSUPPORTED_CONTENT_TYPE',
      415,
      `${declared}${gzipBody === undefined ? '' : ` and the gzip body is ${gzipBody}`}; send ${accepted.join(' or ')} (UTF-8)`,
      { details: { accepted } },
    );
    this.name = 'UnsupportedContentTypeError';
  }
}

/** 415: a Content-Encoding other than gzip or identity. */
export class UnsupportedContentEncodingError extends CollectorError {
  constructor(encoding: string) {
    super(
      'UNSUPPORTED_CONTENT_ENCODING',
      415,
      `Content-Encoding ${JSON.stringify(encoding.slice(0, 100))} is not supported; send gzip or no encoding`,
      { details: { accepted: ['gzip', 'identity'] } },
    );
    this.name = 'UnsupportedContentEncodingError';
  }
}

/** 413: the body (as sent, or once inflated) is over the size limit. */
export class RequestTooLargeError extends CollectorError {
  constructor(limitBytes: number, inflated: boolean) {
    super(
      'REQUEST_TOO_LARGE',
      413,
      `request body exceeds ${limitBytes} bytes${inflated ? ' once decompressed' : ''}; split it into smaller batches`,
      { details: { limit_bytes: limitBytes } },
    );
    this.name = 'RequestTooLargeError';
  }
}

/**
 * 400: the bytes are not an HTTP/1.1 request (a lower-case or unknown method, Content-Length together
 * with Transfer-Encoding, broken chunked framing, no Host header). The edge answers it before any
 * handler runs, so nothing of the request was read; `problem` is the parser's description, never content.
 */
export class MalformedHttpError extends CollectorError {
  constructor(problem: string, cause?: unknown) {
    super('MALFORMED_HTTP', 400, `the request is not valid HTTP/1.1: ${problem}; nothing of it was read`, {
      cause,
    });
    this.name = 'MalformedHttpError';
  }
}

/** 431: the request line and headers together are over the edge's header limit. */
export class HeadersTooLargeError extends CollectorError {
  constructor(limitBytes: number) {
    super(
      'HEADERS_TOO_LARGE',
      431,
      `request line and headers exceed ${limitBytes} bytes; send the events in the body`,
      { details: { limit_bytes: limitBytes } },
    );
    this.name = 'HeadersTooLargeError';
  }
}

/** 408: the request did not arrive completely in time (a stalled client); nothing of it was read. */
export const RequestTimeoutError = refusal(
  'RequestTimeoutError',
  'REQUEST_TIMEOUT',
  408,
  'the request did not arrive completely in time; nothing of it was read, send it again',
);

/** 413: more events than one request may carry. */
export class TooManyEventsError extends CollectorError {
  constructor(count: number, limit: number) {
    super('TOO_MANY_EVENTS', 413, `request carries ${count} events; at most ${limit} per request`, {
      details: { limit_events: limit },
    });
    this.name = 'TooManyEventsError';
  }
}

/**
 * 413: a batch-level `context` too large to copy onto every event of the batch: over the event
 * limit itself, or (`copies`) over the total its copies may add to the request's records.
 */
export class BatchContextTooLargeError extends CollectorError {
  constructor(limitBytes: number, copies?: { readonly events: number; readonly limitTotalBytes: number }) {
    super(
      'BATCH_CONTEXT_TOO_LARGE',
      413,
      copies === undefined
        ? `the batch-level context exceeds ${limitBytes} bytes serialised; send context on the events instead`
        : `the batch-level context, copied onto each of the ${copies.events} events, would add more than ${copies.limitTotalBytes} bytes; send context on the events instead, or fewer events per batch`,
      {
        details:
          copies === undefined
            ? { limit_bytes: limitBytes }
            : { limit_bytes: limitBytes, limit_total_bytes: copies.limitTotalBytes },
      },
    );
    this.name = 'BatchContextTooLargeError';
  }
}

/** 400: the body is empty. */
export const EmptyBodyError = refusal(
  'EmptyBodyError',
  'EMPTY_BODY',
  400,
  'request body is empty; send a JSON object',
);

/** 400: Content-Encoding says gzip but the body does not inflate. */
export class InvalidGzipError extends CollectorError {
  constructor(cause: unknown) {
    super('INVALID_GZIP', 400, 'Content-Encoding is gzip but the body is not valid gzip data', { cause });
    this.name = 'InvalidGzipError';
  }
}

/** 400: the (inflated) body is not UTF-8 text. */
export class InvalidUtf8Error extends CollectorError {
  constructor(byteOffset: number) {
    super(
      'INVALID_UTF8',
      400,
      `request body is not valid UTF-8 (first invalid byte at offset ${byteOffset})`,
      {
        details: { position: byteOffset },
      },
    );
    this.name = 'InvalidUtf8Error';
  }
}

/** 400: JSON syntax error, located by byte offset, line and column (1-based) in the inflated body. */
export class MalformedJsonError extends CollectorError {
  readonly position: number;
  constructor(problem: string, position: number, line: number, column: number) {
    super(
      'MALFORMED_JSON',
      400,
      `malformed JSON at byte ${position} (line ${line}, column ${column}): ${problem}`,
      { details: { position, line, column } },
    );
    this.name = 'MalformedJsonError';
    this.position = position;
  }
}

/** 400: JSON nested deeper than the limit (refused before parsing). */
export class NestingTooDeepError extends CollectorError {
  constructor(limit: number, position: number) {
    super('NESTING_TOO_DEEP', 400, `JSON nesting exceeds depth ${limit} at byte ${position}`, {
      details: { limit_depth: limit, position },
    });
    this.name = 'NestingTooDeepError';
  }
}

/** 400: valid JSON of the wrong shape for the route (`events` not an array, a bare array, ...). */
export class InvalidBodyShapeError extends CollectorError {
  constructor(path: string, problem: string) {
    super('INVALID_BODY_SHAPE', 400, `${path === '' ? 'body' : path}: ${problem}`, { details: { path } });
    this.name = 'InvalidBodyShapeError';
  }
}

/** 429: the source is over its rate; retry after `retryAfterSeconds`. */
export class RateLimitedError extends CollectorError {
  constructor(sourceId: string, retryAfterSeconds: number) {
    super('RATE_LIMITED', 429, `source ${sourceId} is sending faster than its rate limit; retry later`, {
      retryAfterSeconds,
    });
    this.name = 'RateLimitedError';
  }
}

/** 503: the stream did not take every event within the retry budget; nothing is acknowledged. */
export class StreamUnavailableError extends CollectorError {
  readonly failedCount: number;
  constructor(failedCount: number, attempts: number, retryAfterSeconds: number, cause?: unknown) {
    super(
      'STREAM_UNAVAILABLE',
      503,
      `the event stream did not accept ${failedCount} event(s) after ${attempts} attempt(s); retry the whole request (retries are deduplicated)`,
      { retryAfterSeconds, cause },
    );
    this.name = 'StreamUnavailableError';
    this.failedCount = failedCount;
  }
}

/** 503: the service behind the stream cannot take events now (it says why); nothing is acknowledged. */
export class ServiceDegradedError extends CollectorError {
  constructor(problem: string, retryAfterSeconds: number) {
    super('SERVICE_DEGRADED', 503, `${problem}; retry the whole request later (retries are deduplicated)`, {
      retryAfterSeconds,
    });
    this.name = 'ServiceDegradedError';
  }
}

/** 503: the write-key store could not be read, so the key cannot be checked. */
export class WriteKeyStoreUnavailableError extends CollectorError {
  constructor(retryAfterSeconds: number, cause: unknown) {
    super('AUTH_UNAVAILABLE', 503, 'write keys cannot be checked right now; retry later', {
      retryAfterSeconds,
      cause,
    });
    this.name = 'WriteKeyStoreUnavailableError';
  }
}

/** Invalid collector configuration (environment); lists every problem at once. Not a request error. */
export class CollectorConfigError extends Error {
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super(`invalid collector configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'CollectorConfigError';
    this.problems = problems;
  }
}

/** A write-key document (SSM parameter or local file) that does not have the documented shape. */
export class WriteKeyDocumentError extends Error {
  readonly problems: readonly string[];
  constructor(where: string, problems: readonly string[]) {
    super(`invalid write-key document ${where}:\n  - ${problems.join('\n  - ')}`);
    this.name = 'WriteKeyDocumentError';
    this.problems = problems;
  }
}
