import { isUtf8 } from 'node:buffer';
import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';

/** What the local server knows about a request, before it becomes an API Gateway event. */
export interface IncomingRequest {
  readonly method: string;
  /** Request target as sent: path plus optional `?query`. */
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  readonly sourceIp: string;
  readonly protocol: string;
  readonly host: string;
  readonly receivedAt: number;
}

/** Status, headers and body ready to write on the socket. */
export interface HttpAnswer {
  readonly statusCode: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly cookies: readonly string[];
  readonly body: Buffer;
}

/**
 * Media types API Gateway passes to Lambda as text; any other body, and any body with a
 * `Content-Encoding` (gzip), arrives base64-encoded with `isBase64Encoded: true`.
 */
const TEXT_TYPE =
  /^(text\/|application\/(json|javascript|xml|x-www-form-urlencoded)|application\/[\w.+-]+\+(json|xml))/i;

/**
 * Builds the HTTP API (payload format 2.0) event API Gateway would hand the Lambda: header
 * names lower-cased and repeated headers joined with commas, cookies split out, the query
 * string both raw and parsed, binary or compressed bodies base64-encoded.
 */
export const toApiGatewayEvent = (request: IncomingRequest): APIGatewayProxyEventV2 => {
  const queryAt = request.url.indexOf('?');
  const rawPath = queryAt < 0 ? request.url : request.url.slice(0, queryAt);
  const rawQueryString = queryAt < 0 ? '' : request.url.slice(queryAt + 1);
  const headers: Record<string, string> = {};
  let cookies: string[] | undefined;
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined) continue;
    if (name === 'cookie') {
      cookies = (Array.isArray(value) ? value.join('; ') : value).split(/;\s*/).filter((c) => c !== '');
      continue;
    }
    headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  const requestId = randomUUID();
  const userAgent = headers['user-agent'] ?? '';
  const binary =
    headers['content-encoding'] !== undefined ||
    !TEXT_TYPE.test(headers['content-type'] ?? '') ||
    !isUtf8(request.body);
  const time = new Date(request.receivedAt);
  const event: APIGatewayProxyEventV2 = {
    version: '2.0',
    routeKey: '$default',
    rawPath,
    rawQueryString,
    headers,
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      domainName: request.host,
      domainPrefix: request.host.split('.')[0] ?? request.host,
      http: {
        method: request.method,
        path: rawPath,
        protocol: request.protocol,
        sourceIp: request.sourceIp,
        userAgent,
      },
      requestId,
      routeKey: '$default',
      stage: '$default',
      time: apiGatewayTime(time),
      timeEpoch: request.receivedAt,
    },
    isBase64Encoded: false,
  };
  if (cookies) event.cookies = cookies;
  const query = parseQuery(rawQueryString);
  if (query) event.queryStringParameters = query;
  if (request.body.length > 0) {
    event.body = binary ? request.body.toString('base64') : request.body.toString('utf8');
    event.isBase64Encoded = binary;
  }
  return event;
};

/**
 * Turns a Lambda result into what API Gateway would send: a structured result as given; a
 * string or any other value (no `statusCode`) as a 200 `application/json` body, the way HTTP
 * APIs infer the response for payload format 2.0.
 */
export const fromApiGatewayResult = (result: APIGatewayProxyResultV2<unknown>): HttpAnswer => {
  if (isStructured(result)) {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(result.headers ?? {}))
      headers[name.toLowerCase()] = String(value);
    const body = result.body ?? '';
    return {
      statusCode: result.statusCode,
      headers,
      cookies: result.cookies ?? [],
      body: result.isBase64Encoded ? Buffer.from(body, 'base64') : Buffer.from(body, 'utf8'),
    };
  }
  const text = typeof result === 'string' ? result : JSON.stringify(result ?? null);
  return {
    statusCode: 200,
    headers: { 'content-type': 'application/json' },
    cookies: [],
    body: Buffer.from(text, 'utf8'),
  };
};

const isStructured = (
  result: unknown,
): result is { statusCode: number } & Exclude<APIGatewayProxyResultV2, string> =>
  typeof result === 'object' &&
  result !== null &&
  typeof (result as { statusCode?: unknown }).statusCode === 'number';

const parseQuery = (raw: string): Record<string, string> | undefined => {
  if (raw === '') return undefined;
  const params: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(raw)) {
    params[name] = params[name] === undefined ? value : `${params[name]},${value}`;
  }
  return params;
};

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** API Gateway's `requestContext.time` format: `09/Mar/2025:17:42:05 +0000`. */
const apiGatewayTime = (time: Date): string => {
  const pad = (n: number) => String(n).padStart(2, '0');
  return (
    `${pad(time.getUTCDate())}/${MONTHS[time.getUTCMonth()]}/${time.getUTCFullYear()}:` +
    `${pad(time.getUTCHours())}:${pad(time.getUTCMinutes())}:${pad(time.getUTCSeconds())} +0000`
  );
};
