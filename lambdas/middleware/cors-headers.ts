import type { MiddlewareObj, Request } from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

export interface CorsHeadersOptions {
  /** `'*'` or exact origins; a request from any other origin gets no CORS headers (the browser blocks it). */
  readonly allowedOrigins: '*' | readonly string[];
  /** Request headers browsers may send. */
  readonly allowHeaders: readonly string[];
  /** Response headers browser code may read. */
  readonly exposeHeaders?: readonly string[];
  /** Preflight cache lifetime. @default 600 */
  readonly maxAgeSeconds?: number;
}

type HttpRequest = Request<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>;

/**
 * CORS for API Gateway HTTP API (payload v2) handlers: adds `Access-Control-Allow-Origin` (and
 * `Vary: Origin` for an origin list) to every response, errors included, and completes preflight
 * answers (OPTIONS with `Access-Control-Request-Method`) with the allowed methods, taken from the
 * response's `Allow` header, the allowed headers and `Access-Control-Max-Age`. Credentials
 * (cookies) are never allowed: the write key travels in a header, not a cookie.
 */
export const corsHeaders = (
  options: CorsHeadersOptions,
): MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2> => {
  const maxAge = String(options.maxAgeSeconds ?? 600);
  const add = (request: HttpRequest): void => {
    const response = request.response;
    if (response === null || response === undefined) return;
    const headers: Record<string, string | number | boolean> = { ...response.headers };
    const origin = headerValue(request.event, 'origin');
    if (options.allowedOrigins !== '*') headers.vary = appendVary(headers.vary, 'Origin');
    const allowOrigin =
      options.allowedOrigins === '*'
        ? '*'
        : origin !== undefined && options.allowedOrigins.includes(origin)
          ? origin
          : undefined;
    if (allowOrigin !== undefined) {
      headers['access-control-allow-origin'] = allowOrigin;
      if (options.exposeHeaders !== undefined && options.exposeHeaders.length > 0) {
        headers['access-control-expose-headers'] = options.exposeHeaders.join(', ');
      }
      const isPreflight =
        request.event.requestContext?.http?.method?.toUpperCase() === 'OPTIONS' &&
        headerValue(request.event, 'access-control-request-method') !== undefined;
      if (isPreflight) {
        headers['access-control-allow-methods'] = String(headers.allow ?? 'GET, POST, OPTIONS');
        headers['access-control-allow-headers'] = options.allowHeaders.join(', ');
        headers['access-control-max-age'] = maxAge;
      }
    }
    request.response = { ...response, headers };
  };
  return { after: add, onError: add };
};

const headerValue = (event: APIGatewayProxyEventV2, name: string): string | undefined => {
  for (const [key, value] of Object.entries(event.headers ?? {})) {
    if (key.toLowerCase() === name) return value;
  }
  return undefined;
};

const appendVary = (current: string | number | boolean | undefined, field: string): string =>
  current === undefined || current === '' ? field : `${String(current)}, ${field}`;
