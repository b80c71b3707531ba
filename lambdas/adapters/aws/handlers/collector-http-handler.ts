import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy, { type MiddyfiedHandler } from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { CollectOutcome, Collector } from '#core/collector/collector.ts';
import type { CollectRequest } from '#core/collector/request.ts';
import { WRITE_KEY_HEADER } from '#core/collector/write-key.ts';
import { corsHeaders } from '#middleware/cors-headers.ts';
import { type JsonErrorResponseOptions, jsonErrorResponse } from '#middleware/json-error-response.ts';

/** Request headers a browser may send to the collector (preflight `Access-Control-Allow-Headers`). */
export const COLLECTOR_CORS_ALLOW_HEADERS = [
  'Authorization',
  'Content-Type',
  'Content-Encoding',
  WRITE_KEY_HEADER,
];

export type CollectorHttpHandler = MiddyfiedHandler<
  APIGatewayProxyEventV2,
  APIGatewayProxyStructuredResultV2
>;

/** API Gateway HTTP API (payload v2) event -> the core's plain request. */
export const toCollectRequest = (event: APIGatewayProxyEventV2): CollectRequest => ({
  method: event.requestContext.http.method,
  path: event.rawPath,
  headers: event.headers ?? {},
  body: event.body,
  isBase64Encoded: event.isBase64Encoded,
  requestId: event.requestContext.requestId,
});

/** The core's outcome -> HTTP answer. Refusals never get here: they are thrown and mapped by jsonErrorResponse. */
export const toHttpResponse = (outcome: CollectOutcome): APIGatewayProxyStructuredResultV2 => {
  const headers = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' };
  switch (outcome.kind) {
    case 'preflight':
      return { statusCode: 204, headers: { allow: outcome.allow.join(', ') } };
    case 'health':
      if (outcome.degraded === null) {
        return { statusCode: 200, headers, body: JSON.stringify({ status: 'ok' }) };
      }
      return {
        statusCode: 503,
        headers: { ...headers, 'retry-after': String(outcome.degraded.retryAfterSeconds) },
        body: JSON.stringify({ status: 'degraded', reason: outcome.degraded.reason }),
      };
    case 'accepted':
      return {
        statusCode: 200,
        headers,
        body: JSON.stringify({
          received: outcome.received,
          accepted: outcome.accepted,
          rejected: outcome.rejected,
        }),
      };
  }
};

/**
 * The collector's Lambda handler around a built collector: Powertools logger context, CORS,
 * error mapping, and one log line per accepted request (counts and reason codes only: never
 * event bodies, user ids or keys). The AWS handler and the local HTTP server both build theirs here.
 */
export const createCollectorHttpHandler = (
  collector: Collector,
  logger: Logger,
  options: Pick<JsonErrorResponseOptions, 'onServerRefusal'> = {},
): CollectorHttpHandler =>
  middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
    // logEvent stays off whatever POWERTOOLS_LOGGER_LOG_EVENT says: events carry keys and user data.
    .use(injectLambdaContext(logger, { logEvent: false }))
    .use(
      corsHeaders({
        allowedOrigins: collector.settings.cors.allowedOrigins,
        maxAgeSeconds: collector.settings.cors.maxAgeSeconds,
        allowHeaders: COLLECTOR_CORS_ALLOW_HEADERS,
        exposeHeaders: ['Retry-After'],
      }),
    )
    .use(jsonErrorResponse({ logger, ...options }))
    .handler(async (event) => {
      const outcome = await collector.collect(toCollectRequest(event));
      if (outcome.kind === 'accepted') {
        const rejectedCodes: Record<string, number> = {};
        for (const { code } of outcome.rejected) rejectedCodes[code] = (rejectedCodes[code] ?? 0) + 1;
        logger.info('events collected', {
          api_request_id: event.requestContext.requestId,
          route: event.rawPath,
          source_id: outcome.sourceId,
          received: outcome.received,
          rejected: outcome.rejected.length,
          rejected_codes: rejectedCodes,
          stream_attempts: outcome.streamAttempts,
        });
      }
      return toHttpResponse(outcome);
    });
