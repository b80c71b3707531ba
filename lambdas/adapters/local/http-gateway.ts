import {
  createServer,
  type IncomingMessage,
  maxHeaderSize,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import { MalformedHttpError, RequestTooLargeError } from '#core/collector/errors.ts';
import { jsonErrorResult } from '../../middleware/json-error-response.ts';
import { fromApiGatewayResult, type HttpAnswer, toApiGatewayEvent } from './api-gateway-event.ts';
import { type ClientError, clientErrorRefusal, rawHttpAnswer } from './client-error.ts';
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
  /**
   * The body limit a 413 from the gateway names: the handler's own, lower limit (the collector's),
   * so a body refused here reads exactly like one the handler refused. @default maxBodyBytes
   */
  readonly advertisedBodyLimitBytes?: number;
  /** Name the handler sees in its Lambda context. @default 'tally-collector' */
  readonly functionName?: string;
  /** Told about every answered request (for the status line); `event` is null when the handler never ran. */
  readonly onAnswer?: (statusCode: number, event: APIGatewayProxyEventV2 | null) => void;
  /** Told when the handler throws (the client gets 500 INTERNAL_ERROR). */
  readonly onHandlerError?: (error: unknown) => void;
}

export interface HttpGateway {
  /** Base URL, e.g. `http://127.0.0.1:4318`. */
  readonly url: string;
  readonly port: number;
  /** Stops accepting connections, lets requests in progress finish (so their answers go out), then closes. */
  close(): Promise<void>;
}

/** A request on a connection and the answer being prepared for it. */
interface Exchange {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  /** The parser refused the rest of this request and the gateway answered it instead. */
  superseded: boolean;
}

/** How long a refused connection may stay open for the client to read its answer and close. */
const REFUSED_LINGER_MS = 5_000;

/**
 * The local stand-in for API Gateway: a node:http server that turns each request into the
 * event API Gateway would build, invokes the very same Lambda handler in-process, and
 * writes its result back, so the local collector answers exactly as the deployed one.
 * What it refuses itself (bytes that are not HTTP/1.1, headers or a body over its limits)
 * gets the collector's documented JSON error shape too (docs/COLLECTOR.md, Errors).
 */
export const startHttpGateway = async (options: HttpGatewayOptions): Promise<HttpGateway> => {
  const maxBodyBytes = options.maxBodyBytes ?? 10 * 1024 * 1024;
  const functionName = options.functionName ?? 'tally-collector';
  let inFlight = 0;
  let drained: (() => void) | null = null;
  /** The newest exchange per connection (pipelined answers go out in order, so it finishes last). */
  const exchanges = new WeakMap<Socket, Exchange>();
  /** Connections answered with a refusal, waiting for the client to close. */
  const refused = new Set<Socket>();

  const reply = (
    exchange: Exchange,
    answer: HttpAnswer,
    close: boolean,
    event: APIGatewayProxyEventV2 | null,
  ) => {
    if (exchange.superseded) return;
    send(exchange.res, answer, close, event?.requestContext.requestId);
    options.onAnswer?.(answer.statusCode, event);
  };

  const serve = async (req: IncomingMessage, exchange: Exchange): Promise<void> => {
    const receivedAt = Date.now();
    if (req.headers.host === undefined && req.httpVersion === '1.1') {
      reply(exchange, refusal(new MalformedHttpError('an HTTP/1.1 request needs a Host header')), true, null);
      return;
    }
    const body = await readBody(req, maxBodyBytes);
    // the client went away, or the parser refused the rest of the body and the refusal went out instead
    if (body === 'aborted') return;
    if (body === 'too large') {
      const limit = options.advertisedBodyLimitBytes ?? maxBodyBytes;
      reply(exchange, refusal(new RequestTooLargeError(limit, false)), true, null);
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
      answer = refusal(null);
    }
    reply(exchange, answer, false, event);
  };

  // requireHostHeader off: node's own answer to a missing Host is a bodiless 400; serve answers it instead
  const server: Server = createServer({ requireHostHeader: false }, (req, res) => {
    const exchange: Exchange = { req, res, superseded: false };
    exchanges.set(req.socket, exchange);
    inFlight += 1;
    serve(req, exchange)
      .catch((error: unknown) => {
        options.onHandlerError?.(error);
        if (!res.headersSent) reply(exchange, refusal(null), true, null);
      })
      .finally(() => {
        inFlight -= 1;
        if (inFlight === 0) drained?.();
      });
  });
  server.keepAliveTimeout = 65_000;
  // A client that sends its request and then shuts its write side (half-close) still reads the
  // answer. Node's default (false) ends the socket at the client's FIN, before an answer being
  // prepared is written. The property is node's own (not in its typings); with it set, node ends
  // the socket after the last answer instead.
  (server as Server & { httpAllowHalfOpen: boolean }).httpAllowHalfOpen = true;

  // Bytes node's parser cannot read (bad method, huge headers, Content-Length with Transfer-Encoding,
  // broken chunks) or a stalled request: node's default answer is a bodiless 400/431/408. Answer in
  // the documented shape instead, after any answer still being prepared on the connection.
  server.on('clientError', (error: ClientError, socket: Socket) => {
    if (refused.has(socket)) return; // the parser keeps failing on whatever else arrives
    const refusedWith = clientErrorRefusal(error, maxHeaderSize);
    if (refusedWith === null || !socket.writable) {
      socket.destroy();
      return;
    }
    refused.add(socket);
    const answer = refusal(refusedWith);
    const write = (): void => {
      if (!socket.writable) return; // the answer before it closed the connection
      socket.end(rawHttpAnswer(answer));
      options.onAnswer?.(answer.statusCode, null);
      // however long the client takes to close (or keeps sending), the connection goes
      const linger = setTimeout(() => socket.destroy(), REFUSED_LINGER_MS).unref();
      socket.once('close', () => clearTimeout(linger));
    };
    socket.once('close', () => refused.delete(socket));
    const pending = exchanges.get(socket);
    if (pending && !pending.res.writableFinished && pending.req.complete) {
      // a whole request came before the bad bytes (the parser had finished it): its answer goes out first
      pending.res.once('finish', write);
      return;
    }
    if (pending && !pending.res.writableFinished) {
      if (pending.res.headersSent) {
        socket.destroy();
        return;
      }
      pending.superseded = true;
    }
    write();
  });

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
      for (const socket of refused) socket.destroy();
      await closed;
    },
  };
};

/** The documented JSON answer to an error; anything but a refusal (null, a thrown bug) is 500 INTERNAL_ERROR. */
const refusal = (error: unknown): HttpAnswer => fromApiGatewayResult(jsonErrorResult(error));

/**
 * The whole body; 'too large' as soon as it passes `limit` bytes (the rest is read and dropped,
 * so the client can read the answer); 'aborted' when it never arrives whole.
 */
const readBody = (req: IncomingMessage, limit: number): Promise<Buffer | 'too large' | 'aborted'> =>
  new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      if (over) return;
      size += chunk.length;
      if (size > limit) {
        over = true;
        chunks.length = 0;
        resolve('too large');
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks, size)));
    // a promise settles once: after 'end' or 'too large' these change nothing
    req.on('error', () => resolve('aborted'));
    req.on('close', () => resolve('aborted'));
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
