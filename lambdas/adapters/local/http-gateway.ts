import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import {
  fromApiGatewayResult,
  type HttpAnswer,
  INTERNAL_ERROR_ANSWER,
  TOO_LARGE_ANSWER,
  toApiGatewayEvent,
} from './api-gateway-event.ts';
import { localLambdaContext } from './lambda-context.ts';

/** A Lambda handler behind an HTTP API (payload format 2.0), e.g. the collector's. */
export type HttpApiHandler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyResultV2<unknown>>;

export interface HttpGatewayOptions {
  readonly handler: HttpApiHandler;
  /** @default '127.0.0.1' (local mode never listens beyond the machine) */
  readonly host?: string;
  /** 0 picks a free port. @default 0 */
  readonly port?: number;
  /** API Gateway's payload limit. @default 10 MiB */
  readonly maxBodyBytes?: number;
  /** Name the handler sees in its Lambda context. @default 'tally-collector' */
  readonly functionName?: string;
  /** Told about every answered request (for the status line). */
  readonly onAnswer?: (statusCode: number, event: APIGatewayProxyEventV2 | null) => void;
  /** Told when the handler throws (the client gets API Gateway's 500). */
  readonly onHandlerError?: (error: unknown) => void;
}

export interface HttpGateway {
  /** Base URL, e.g. `http://127.0.0.1:4318`. */
  readonly url: string;
  readonly port: number;
  /** Stops accepting connections, lets requests in progress finish (so their answers go out), then closes. */
  close(): Promise<void>;
}

/**
 * The local stand-in for API Gateway: a node:http server that turns each request into the
 * event API Gateway would build, invokes the very same Lambda handler in-process, and
 * writes its result back, so the local collector answers exactly as the deployed one.
 */
export const startHttpGateway = async (options: HttpGatewayOptions): Promise<HttpGateway> => {
  const maxBodyBytes = options.maxBodyBytes ?? 10 * 1024 * 1024;
  const functionName = options.functionName ?? 'tally-collector';
  let inFlight = 0;
  let drained: (() => void) | null = null;

  const serve = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const receivedAt = Date.now();
    const body = await readBody(req, maxBodyBytes);
    if (body === null) {
      send(res, TOO_LARGE_ANSWER, true);
      options.onAnswer?.(TOO_LARGE_ANSWER.statusCode, null);
      return;
    }
    const event = toApiGatewayEvent({
      method: req.method ?? 'GET',
      url: req.url ?? '/',
      headers: req.headers,
      body,
      sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
      protocol: `HTTP/${req.httpVersion}`,
      host: req.headers.host ?? 'localhost',
      receivedAt,
    });
    let answer: HttpAnswer;
    try {
      const context = localLambdaContext(functionName, event.requestContext.requestId);
      answer = fromApiGatewayResult(await options.handler(event, context));
    } catch (error) {
      options.onHandlerError?.(error);
      answer = INTERNAL_ERROR_ANSWER;
    }
    send(res, answer, false, event.requestContext.requestId);
    options.onAnswer?.(answer.statusCode, event);
  };

  const server: Server = createServer((req, res) => {
    inFlight += 1;
    serve(req, res)
      .catch((error: unknown) => {
        options.onHandlerError?.(error);
        if (!res.headersSent) send(res, INTERNAL_ERROR_ANSWER, true);
      })
      .finally(() => {
        inFlight -= 1;
        if (inFlight === 0) drained?.();
      });
  });
  server.keepAliveTimeout = 65_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      if (inFlight > 0) await new Promise<void>((resolve) => (drained = resolve));
      server.closeAllConnections();
      await closed;
    },
  };
};

/** The whole body, or null as soon as it passes `limit` bytes. */
const readBody = (req: IncomingMessage, limit: number): Promise<Buffer | null> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      if (over) return;
      size += chunk.length;
      if (size > limit) {
        over = true;
        chunks.length = 0;
        resolve(null);
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!over) resolve(Buffer.concat(chunks, size));
    });
    req.on('error', reject);
  });

const send = (res: ServerResponse, answer: HttpAnswer, close: boolean, requestId?: string): void => {
  const headers: Record<string, string | string[]> = { ...answer.headers };
  headers['content-length'] = String(answer.body.length);
  if (requestId) headers['apigw-requestid'] = requestId;
  if (answer.cookies.length > 0) headers['set-cookie'] = [...answer.cookies];
  if (close) headers.connection = 'close';
  res.writeHead(answer.statusCode, headers);
  res.end(answer.body);
};
