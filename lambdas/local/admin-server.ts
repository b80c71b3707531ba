import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Row, SqlParam } from '#core/warehouse/ports.ts';
import type { DevIdentity } from './dev-state.ts';
import type { StackStatus } from './stack-status.ts';

export interface AdminServerOptions {
  readonly token: string;
  /** Who serves: `GET /ping` answers it, so a client can tell this stack from a stale `dev.json`. */
  readonly identity: DevIdentity;
  readonly status: () => Promise<StackStatus>;
  readonly query: (sql: string, params?: readonly SqlParam[]) => Promise<Row[]>;
  readonly runJob: (name: string) => Promise<string>;
  /** Waits until everything accepted so far is validated, delivered and loaded into raw. */
  readonly settle: () => Promise<void>;
}

export interface AdminServer {
  readonly url: string;
  close(): Promise<void>;
}

/**
 * A loopback-only JSON endpoint through which `tally query`, `tally report` and `tally status`
 * reach the running stack. DuckDB lets one process write a database file, and `tally dev`
 * holds it; going through the stack lets the CLI read while the pipeline runs. Every request
 * needs the bearer token from `.tally/dev.json` (readable by its owner only).
 *
 * `GET /ping` -> `{"pid", "startedAt"}` (cheap: proves the stack in `dev.json` is alive, see dev-state.ts),
 * `GET /status`, `POST /query {"sql", "params"?}` -> `{"rows"}`, `POST /jobs/<name>` -> `{"summary"}`,
 * `POST /settle` -> `{"settled": true}` once everything accepted so far is loaded into raw.
 */
export const startAdminServer = async (options: AdminServerOptions): Promise<AdminServer> => {
  const expected = Buffer.from(`Bearer ${options.token}`);
  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => reply(res, 500, { error: message(error) }));
  });

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const given = Buffer.from(req.headers.authorization ?? '');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      return reply(res, 401, { error: 'missing or wrong admin token (read it from .tally/dev.json)' });
    }
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && path === '/ping') return reply(res, 200, options.identity);
    if (req.method === 'GET' && path === '/status') return reply(res, 200, await options.status());
    if (req.method === 'POST' && path === '/query') {
      const body = await readJson(req);
      if (typeof body?.sql !== 'string' || body.sql.trim() === '') {
        return reply(res, 400, { error: 'send {"sql": "<one SQL statement>"}' });
      }
      const params = Array.isArray(body.params) ? (body.params as SqlParam[]) : [];
      try {
        return reply(res, 200, { rows: await options.query(body.sql, params) });
      } catch (error) {
        return reply(res, 400, { error: message(error) });
      }
    }
    if (req.method === 'POST' && path === '/settle') {
      await options.settle();
      return reply(res, 200, { settled: true });
    }
    const job = /^\/jobs\/([a-z_-]+)$/.exec(path ?? '');
    if (req.method === 'POST' && job) {
      try {
        return reply(res, 200, { summary: await options.runJob(job[1]!) });
      } catch (error) {
        return reply(res, 500, { error: message(error) });
      }
    }
    return reply(res, 404, { error: `no admin route ${req.method} ${path}` });
  };

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
};

const readJson = async (req: IncomingMessage): Promise<Record<string, unknown> | null> => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  try {
    const value: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
};

const reply = (res: ServerResponse, status: number, body: unknown): void => {
  const text = JSON.stringify(body, (_key, value: unknown) =>
    typeof value === 'bigint' ? value.toString() : value,
  );
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
};

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));
