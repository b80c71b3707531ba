import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

/**
 * An error that says how it should be answered over HTTP (the collector's CollectorError family
 * has this shape). Anything else is a bug and is answered 500 without detail.
 */
export interface HttpExposedError {
  readonly httpStatus: number;
  readonly code: string;
  readonly reason: string;
  readonly details?: Readonly<Record<string, unknown>> | undefined;
  readonly retryAfterSeconds?: number | undefined;
}

/** The slice of a logger this middleware needs (Powertools Logger fits). */
export interface ErrorLogger {
  info(message: string, attributes: Record<string, unknown>): void;
  error(message: string, attributes: Record<string, unknown>): void;
}

export interface JsonErrorResponseOptions {
  readonly logger: ErrorLogger;
  /** `realm` of the WWW-Authenticate challenge sent with 401s. @default 'tally' */
  readonly realm?: string;
  /**
   * Told about each request refused with a server error (5xx) instead of logging it per request: local
   * mode counts them and says so once per interval, since under a lasting fault (a full disk) every
   * request is refused. @default logged at error level with the cause
   */
  readonly onServerRefusal?: (error: HttpExposedError & Error) => void;
}

export const isHttpExposedError = (error: unknown): error is HttpExposedError =>
  error instanceof Error &&
  typeof (error as Partial<HttpExposedError>).httpStatus === 'number' &&
  typeof (error as Partial<HttpExposedError>).code === 'string' &&
  typeof (error as Partial<HttpExposedError>).reason === 'string';

/**
 * The documented answer to an error: JSON `{ "error": { "code", "reason", ...details } }` with the
 * status the error asks for, `Retry-After` when it gives one, `WWW-Authenticate` on 401 and `Allow`
 * on 405; anything that is not an HttpExposedError is a bug, answered 500 INTERNAL_ERROR without
 * detail. The collector's middleware and the local HTTP gateway (for what it refuses before any
 * handler runs) both answer through this one function, so every refusal has the same shape.
 */
export const jsonErrorResult = (error: unknown, realm = 'tally'): APIGatewayProxyStructuredResultV2 => {
  if (!isHttpExposedError(error)) {
    return json(500, { error: { code: 'INTERNAL_ERROR', reason: 'unexpected server error' } }, {});
  }
  const status = error.httpStatus;
  const headers: Record<string, string> = {};
  if (error.retryAfterSeconds !== undefined) headers['retry-after'] = String(error.retryAfterSeconds);
  if (status === 401) headers['www-authenticate'] = `Basic realm="${realm}", charset="UTF-8"`;
  const allow = error.details?.allow;
  if (status === 405 && Array.isArray(allow)) headers.allow = allow.join(', ');
  return json(status, { error: { code: error.code, reason: error.reason, ...error.details } }, headers);
};

/**
 * Maps errors to their documented JSON answers (jsonErrorResult). Client errors are logged at
 * info with their code only; server errors at error level with the cause. Error reasons never
 * carry request content, so nothing private reaches the logs.
 */
export const jsonErrorResponse = (
  options: JsonErrorResponseOptions,
): MiddlewareObj<unknown, APIGatewayProxyStructuredResultV2> => {
  const realm = options.realm ?? 'tally';
  return {
    onError: (request) => {
      const { error } = request;
      if (!isHttpExposedError(error)) options.logger.error('unhandled error', { error });
      else if (error.httpStatus >= 500 && options.onServerRefusal) options.onServerRefusal(error);
      else if (error.httpStatus >= 500)
        options.logger.error('request failed', { code: error.code, status: error.httpStatus, error });
      else options.logger.info('request refused', { code: error.code, status: error.httpStatus });
      request.response = jsonErrorResult(error, realm);
    },
  };
};

const json = (
  statusCode: number,
  body: unknown,
  headers: Record<string, string>,
): APIGatewayProxyStructuredResultV2 => ({
  statusCode,
  headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
  body: JSON.stringify(body),
});
