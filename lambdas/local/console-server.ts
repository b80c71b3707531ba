import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { ConsoleError, ReportParameterError, UnknownReportError } from '#core/console/errors.ts';
import type { ReadApi } from '#core/console/read-api.ts';
import type { ConsoleBundle } from './console-bundle.ts';
import { LocalConfigError } from './errors.ts';

export interface ConsoleServerOptions {
  readonly api: ReadApi;
  /**
   * The built app, asked for when a page or asset is first requested (building costs about a second
   * of CPU, which a stack started only to take events, or a test, need not spend). A failed build is
   * answered 500 with its reason and tried again at the next request.
   */
  readonly bundle: () => Promise<ConsoleBundle>;
  /** Folder of `<check>.md` runbooks, served at `/runbooks/<check>`. */
  readonly runbooksDir: string;
  /** @default '127.0.0.1' */
  readonly host?: string;
  /** 0 picks a free port. */
  readonly port: number;
}

export interface ConsoleServer {
  /** e.g. `http://127.0.0.1:4319/` */
  readonly url: string;
  close(): Promise<void>;
}

/** The app could not be built (esbuild missing, a syntax error in console/src). */
class ConsoleBuildError extends Error {
  constructor(cause: unknown) {
    super(`the console app could not be built: ${message(cause)}`, { cause });
    this.name = 'ConsoleBuildError';
  }
}

/** The ids a runbook may have: a check's name. */
const RUNBOOK = /^[a-z0-9-]{1,64}$/;

/**
 * The console's HTTP edge (loopback only): `GET /api/<report>?<params>` answers from the read API as
 * JSON (400 with every parameter problem, 404 for an unknown report, 500 when the warehouse fails, each
 * `{"error": {"code", "reason"}}`, the shape of the collector's errors); `/assets/app.js` and
 * `/assets/app.css` are the built app; `/runbooks/<check>` is a runbook's Markdown (as text); every other GET is the
 * app's page (with the `meta` answer inlined), whose script reads the view from the URL.
 */
export const startConsoleServer = async (options: ConsoleServerOptions): Promise<ConsoleServer> => {
  const { api } = options;
  let built: Promise<ConsoleBundle> | undefined;
  const bundle = (): Promise<ConsoleBundle> => {
    built ??= options.bundle().catch((error: unknown) => {
      built = undefined;
      throw new ConsoleBuildError(error);
    });
    return built;
  };
  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) =>
      fail(res, 500, error instanceof ConsoleBuildError ? 'APP_BUILD_FAILED' : 'INTERNAL', message(error)),
    );
  });

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://console.local');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      return fail(res, 405, 'METHOD_NOT_ALLOWED', `the console only reads: ${req.method} is not allowed`);
    }
    if (url.pathname === '/api' || url.pathname === '/api/') return json(res, 200, { reports: api.reports });
    if (url.pathname.startsWith('/api/')) return answer(res, url);
    if (url.pathname === '/assets/app.js')
      return send(res, 200, 'text/javascript; charset=utf-8', (await bundle()).js);
    if (url.pathname === '/assets/app.css')
      return send(res, 200, 'text/css; charset=utf-8', (await bundle()).css);
    if (url.pathname.startsWith('/runbooks/')) return runbook(res, url.pathname.slice('/runbooks/'.length));
    if (url.pathname === '/favicon.ico') return send(res, 204, 'image/x-icon', '');
    return send(res, 200, 'text/html; charset=utf-8', await page());
  };

  /** The app's page with the `meta` answer inlined, which saves the app a round trip before its first view. */
  const page = async (): Promise<string> => {
    const { html } = await bundle();
    let meta: string;
    try {
      meta = (await api.answer('meta', {})).body;
    } catch {
      return html; // the app asks for it and shows the API's answer
    }
    const inline = `<script id="tally-meta" type="application/json">${meta.replace(/</g, '\\u003c')}</script>`;
    return html.replace('</head>', `${inline}\n  </head>`);
  };

  const answer = async (res: ServerResponse, url: URL): Promise<void> => {
    const name = decodeURIComponent(url.pathname.slice('/api/'.length));
    const params: Record<string, string> = {};
    const repeated = new Set<string>();
    for (const [key, value] of url.searchParams) {
      if (key in params) repeated.add(key);
      params[key] = value;
    }
    if (repeated.size > 0) {
      return fail(res, 400, 'BAD_PARAMETER', `give each parameter once: ${[...repeated].join(', ')}`, [
        ...[...repeated].map((parameter) => ({ parameter, reason: 'given more than once' })),
      ]);
    }
    try {
      const { body, cached } = await api.answer(name, params);
      res.setHeader('x-tally-cache', cached ? 'hit' : 'miss');
      return send(res, 200, 'application/json; charset=utf-8', body);
    } catch (error) {
      if (error instanceof ReportParameterError) {
        return fail(res, 400, 'BAD_PARAMETER', error.message, error.problems);
      }
      if (error instanceof UnknownReportError) return fail(res, 404, 'UNKNOWN_REPORT', error.message);
      if (error instanceof ConsoleError) return fail(res, 500, 'REPORT_FAILED', error.message);
      throw error;
    }
  };

  const runbook = async (res: ServerResponse, name: string): Promise<void> => {
    if (!RUNBOOK.test(name)) return fail(res, 404, 'NO_RUNBOOK', `no runbook ${JSON.stringify(name)}`);
    try {
      const text = await readFile(join(options.runbooksDir, `${name}.md`), 'utf8');
      // plain text: every browser shows it (text/markdown is downloaded by some)
      return send(res, 200, 'text/plain; charset=utf-8', text);
    } catch {
      return fail(res, 404, 'NO_RUNBOOK', `no runbook ${JSON.stringify(name)}`);
    }
  };

  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new LocalConfigError([
              `console port ${options.port} on ${host} is already in use (another console?); pick another port, or 0 for any free one`,
            ])
          : error,
      ),
    );
    server.listen(options.port, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
};

const send = (res: ServerResponse, status: number, type: string, body: string): void => {
  res.writeHead(status, {
    'content-type': type,
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  res.end(body);
};

const json = (res: ServerResponse, status: number, body: unknown): void =>
  send(res, status, 'application/json; charset=utf-8', JSON.stringify(body));

const fail = (
  res: ServerResponse,
  status: number,
  code: string,
  reason: string,
  problems?: readonly { parameter: string; reason: string }[],
): void => json(res, status, { error: { code, reason, ...(problems ? { problems } : {}) } });

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));
