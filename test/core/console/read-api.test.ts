import { FACTS } from '#core/activation/facts.ts';
import { createReadApi } from '#core/console/read-api.ts';
import type { ReportSource } from '#core/console/report.ts';
import { consoleReports } from '#core/console/reports/index.ts';
import { declaredChecks } from '#core/quality/registry.ts';
import type { Warehouse } from '#core/warehouse/ports.ts';
import { testSqlLibrary } from '#test/support/sql-library.ts';
import { transform } from '../../support/warehouse-pipeline.ts';
import { buildConsoleWarehouse, TODAY, warehouseSource } from './support/console-warehouse.ts';

let warehouse: Warehouse;
beforeAll(async () => {
  warehouse = await buildConsoleWarehouse();
});
afterAll(() => warehouse.close());

/** The warehouse as a source that counts the statements it runs. */
const counting = (inner: ReportSource) => {
  const counter = { queries: 0 };
  const source: ReportSource = {
    dialect: inner.dialect,
    read: (work) =>
      inner.read((query) =>
        work((sql, params) => {
          counter.queries += 1;
          return query(sql, params);
        }),
      ),
  };
  return { source, counter };
};

const api = (source: ReportSource, versionTtlMs = 60_000) =>
  createReadApi({
    source,
    sql: testSqlLibrary('duckdb'),
    reports: consoleReports({ facts: FACTS, checks: declaredChecks() }),
    clock: () => TODAY,
    versionTtlMs,
  });

const range = { from: '2026-03-09', to: '2026-03-11' };

describe('read API', () => {
  it('answers a repeated request from the cache without running a query', async () => {
    const { source, counter } = counting(warehouseSource(warehouse));
    const read = api(source);
    const first = await read.answer('usage', range);
    const queries = counter.queries;
    const second = await read.answer('usage', { ...range });
    expect(second).toEqual({ body: first.body, cached: true });
    expect(counter.queries).toBe(queries);
    expect(first.cached).toBe(false);
  });

  it('answers again from the warehouse once a new model run changed the data version', async () => {
    const { source } = counting(warehouseSource(warehouse));
    const read = api(source, 0);
    const before = JSON.parse((await read.answer('lineage', range)).body);
    await transform(warehouse, '2026-03-11T19:00:00Z');
    const after = await read.answer('lineage', range);
    expect(after.cached).toBe(false);
    expect(JSON.parse(after.body).version.modelRunId).not.toBe(before.version.modelRunId);
    expect(JSON.parse(after.body).data.runs).toHaveLength(before.data.runs.length + 1);
  });

  it('runs identical requests in flight once', async () => {
    const { source, counter } = counting(warehouseSource(warehouse));
    const read = api(source);
    await read.answer('meta', {}); // the data version, probed once
    const probed = counter.queries;
    const answers = await Promise.all([read.answer('workspaces', {}), read.answer('workspaces', {})]);
    expect(answers[0]?.body).toBe(answers[1]?.body);
    expect(counter.queries - probed).toBe(1);
  });

  it('refuses bad parameters with every problem named, before any query', async () => {
    const { source, counter } = counting(warehouseSource(warehouse));
    await expect(
      api(source).answer('usage', {
        from: '2026-02-30',
        grain: 'month',
        featur: 'editor',
        platform: '\u0000',
      }),
    ).rejects.toMatchObject({
      name: 'ReportParameterError',
      problems: [
        { parameter: 'from', reason: 'must be a day like 2026-03-09, got "2026-02-30"' },
        { parameter: 'grain', reason: 'must be one of day, week, got "month"' },
        { parameter: 'platform', reason: 'must be 1 to 200 printable characters' },
        { parameter: 'featur', reason: expect.stringContaining('unknown parameter; this report takes') },
      ],
    });
    expect(counter.queries).toBe(0);
  });

  it('refuses a range that ends before it starts', async () => {
    await expect(
      api(warehouseSource(warehouse)).answer('health', { from: '2026-03-11', to: '2026-03-09' }),
    ).rejects.toMatchObject({
      problems: [{ parameter: 'from', reason: '2026-03-11 is after to 2026-03-09' }],
    });
  });

  it('names the reports when asked for one that does not exist', async () => {
    await expect(api(warehouseSource(warehouse)).answer('usages', {})).rejects.toMatchObject({
      name: 'UnknownReportError',
      message: expect.stringContaining('the reports are: meta, health, usage'),
    });
  });

  it('wraps a failing read in a ReportFailedError naming the report and the statement', async () => {
    const failing: ReportSource = {
      dialect: 'duckdb',
      read: (work) =>
        warehouseSource(warehouse).read((query) =>
          work((sql, params) =>
            sql.includes('dim_feature') ? Promise.reject(new Error('disk on fire')) : query(sql, params),
          ),
        ),
    };
    await expect(api(failing).answer('meta', {})).rejects.toMatchObject({
      name: 'ReportFailedError',
      message: expect.stringMatching(/^meta: console\/meta#features: disk on fire/),
    });
  });
});
