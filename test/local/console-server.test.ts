import { FACTS } from '#core/activation/facts.ts';
import { createReadApi } from '#core/console/read-api.ts';
import { consoleReports } from '#core/console/reports/index.ts';
import { warehouseSource } from '#core/console/warehouse-source.ts';
import { declaredChecks } from '#core/quality/registry.ts';
import type { Warehouse } from '#core/warehouse/ports.ts';
import { testSqlLibrary } from '#test/support/sql-library.ts';
import { RUNBOOKS_DIR } from '../../lambdas/local/console-paths.ts';
import { type ConsoleServer, startConsoleServer } from '../../lambdas/local/console-server.ts';
import { buildConsoleWarehouse, TODAY } from '../core/console/support/console-warehouse.ts';

let warehouse: Warehouse;
let server: ConsoleServer;

beforeAll(async () => {
  warehouse = await buildConsoleWarehouse();
  server = await startConsoleServer({
    api: createReadApi({
      source: warehouseSource(warehouse),
      sql: testSqlLibrary('duckdb'),
      reports: consoleReports({ facts: FACTS, checks: declaredChecks() }),
      clock: () => TODAY,
    }),
    bundle: async () => ({
      html: '<!doctype html><head></head><div id="app"></div>',
      js: 'console.log(1)',
      css: 'body{}',
    }),
    runbooksDir: RUNBOOKS_DIR,
    port: 0,
  });
});
afterAll(async () => {
  await server.close();
  await warehouse.close();
});

const get = (path: string, init?: RequestInit) => fetch(new URL(path, server.url), init);
// biome-ignore lint/suspicious/noExplicitAny: answers are JSON read by the assertions
const json = async (response: Response): Promise<any> => response.json();

describe('console server', () => {
  it('answers a report as JSON, then from the cache', async () => {
    const first = await get('/api/usage?from=2026-03-09&to=2026-03-11&feature=editor');
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(first.headers.get('x-tally-cache')).toBe('miss');
    expect((await json(first)).data.node).toMatchObject({ featureId: 'editor', events: 8 });
    const second = await get('/api/usage?from=2026-03-09&to=2026-03-11&feature=editor');
    expect(second.headers.get('x-tally-cache')).toBe('hit');
  });

  it('answers a bad parameter with 400 and every reason, in the collector error shape', async () => {
    const response = await get('/api/health?from=yesterday&grain=minute');
    expect(response.status).toBe(400);
    expect(await json(response)).toEqual({
      error: {
        code: 'BAD_PARAMETER',
        reason:
          'health: from: must be a day like 2026-03-09, got "yesterday"; grain: must be one of hour, day, got "minute"',
        problems: [
          { parameter: 'from', reason: 'must be a day like 2026-03-09, got "yesterday"' },
          { parameter: 'grain', reason: 'must be one of hour, day, got "minute"' },
        ],
      },
    });
  });

  it('refuses a parameter given twice rather than picking one', async () => {
    const response = await get('/api/usage?platform=web&platform=ios');
    expect(response.status).toBe(400);
    expect((await json(response)).error.problems).toEqual([
      { parameter: 'platform', reason: 'given more than once' },
    ]);
  });

  it('answers 404 with the known reports for an unknown one', async () => {
    const response = await get('/api/sales');
    expect(response.status).toBe(404);
    expect((await json(response)).error).toMatchObject({
      code: 'UNKNOWN_REPORT',
      reason: expect.stringContaining('meta, health'),
    });
  });

  it('only reads: other methods get 405', async () => {
    const response = await get('/api/usage', { method: 'POST', body: '{}' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, HEAD');
  });

  it('serves the app page for every view path, with the meta answer inlined, and the built assets', async () => {
    for (const path of ['/', '/usage?feature=editor', '/cohorts']) {
      const page = await get(path);
      expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
      const html = await page.text();
      expect(html).toContain('<div id="app">');
      const inline = /<script id="tally-meta" type="application\/json">(.*)<\/script>/.exec(html)?.[1] ?? '';
      expect(JSON.parse(inline).data).toMatchObject({ today: '2026-03-12', firstDay: '2026-03-09' });
    }
    expect(await (await get('/assets/app.js')).text()).toBe('console.log(1)');
    expect((await get('/assets/app.css')).headers.get('content-type')).toBe('text/css; charset=utf-8');
  });

  it("serves a check's runbook, and nothing outside the runbooks folder", async () => {
    const runbook = await get('/runbooks/freshness-raw');
    expect(runbook.status).toBe(200);
    expect(await runbook.text()).toMatch(/^# /);
    expect((await get('/runbooks/..%2F..%2Fpackage')).status).toBe(404);
    expect((await get('/runbooks/no-such-check')).status).toBe(404);
  });

  it('lists the reports at /api', async () => {
    const index = await json(await get('/api'));
    expect(index.reports.map((r: { name: string }) => r.name)).toEqual([
      'meta',
      'health',
      'usage',
      'adoption',
      'activation',
      'cohorts',
      'quality',
      'lineage',
      'rejected',
      'workspaces',
    ]);
  });
});
