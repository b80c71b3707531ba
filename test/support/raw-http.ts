import { connect } from 'node:net';

/** One HTTP/1.1 answer as read off the socket. */
export interface RawAnswer {
  readonly status: number;
  /** Header names lower-cased. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export interface RawExchange {
  /** Every answer, in order, parsed by Content-Length. */
  readonly answers: readonly RawAnswer[];
  /** Bytes received that are not a whole answer (a bodiless or torn answer shows here). */
  readonly rest: string;
  /** The server closed the connection before `timeoutMs`. */
  readonly closedByServer: boolean;
}

export interface RawExchangeOptions {
  /** Shut the client's write side once the bytes are sent (half-close), as `curl` and SDKs may. */
  readonly halfClose?: boolean;
  /** @default 10000 */
  readonly timeoutMs?: number;
}

/**
 * Sends `bytes` as is on a fresh connection (no HTTP client to fix them up) and reads until the
 * server closes it or `timeoutMs` passes, so malformed requests can be sent the way a hostile
 * client sends them.
 */
export const rawExchange = (
  port: number,
  bytes: string | Buffer,
  options: RawExchangeOptions = {},
): Promise<RawExchange> =>
  new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let closedByServer = false;
    const timer = setTimeout(() => socket.destroy(), options.timeoutMs ?? 10_000);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('end', () => {
      closedByServer = true;
    });
    // a reset after the answer is read changes nothing for the spec; the answers say what arrived
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ ...parseAnswers(Buffer.concat(chunks)), closedByServer });
    });
    socket.write(bytes, () => {
      if (options.halfClose) socket.end();
    });
  });

const parseAnswers = (data: Buffer): { answers: RawAnswer[]; rest: string } => {
  const answers: RawAnswer[] = [];
  let at = 0;
  while (at < data.length) {
    const headEnd = data.indexOf('\r\n\r\n', at);
    if (headEnd < 0) break;
    const [statusLine = '', ...headerLines] = data.subarray(at, headEnd).toString('latin1').split('\r\n');
    const headers: Record<string, string> = {};
    for (const line of headerLines) {
      const colon = line.indexOf(':');
      headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    const length = Number(headers['content-length']);
    if (!Number.isInteger(length) || headEnd + 4 + length > data.length) break;
    const body = data.subarray(headEnd + 4, headEnd + 4 + length).toString('utf8');
    answers.push({ status: Number(statusLine.split(' ')[1]), headers, body });
    at = headEnd + 4 + length;
  }
  return { answers, rest: data.subarray(at).toString('latin1') };
};
