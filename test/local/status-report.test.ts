import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDuckDbWarehouse } from '#adapters/duckdb/duckdb-warehouse.ts';
import { loadFeatureCatalog } from '#adapters/node/load-feature-catalog.ts';
import { applyPipelineDdl } from '#core/pipeline/pipeline-ddl.ts';
import { runQualityJob } from '#core/quality/quality-job.ts';
import { declaredChecks } from '#core/quality/registry.ts';
import { duckdbSql } from '#test/support/sql-library.ts';
import { startLocalStack } from '../../lambdas/local/local-stack.ts';
import { formatStatusReport } from '../../lambdas/local/status-report.ts';
import { tallyHome } from '../../lambdas/local/tally-home.ts';
import { warehouseJobs } from '../../lambdas/local/warehouse-jobs.ts';
import { openWarehouseReader } from '../../lambdas/local/warehouse-reader.ts';

const HOUR = 3_600_000;

describe('tally status', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'tally-status-'));
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  const report = async (json = false): Promise<string> => {
    const reader = await openWarehouseReader(tallyHome(root));
    try {
      return await formatStatusReport(reader, json);
    } finally {
      await reader.close();
    }
  };

  it('lists the failing checks of the latest quality results, with their buckets and runbooks', async () => {
    const warehouse = await createDuckDbWarehouse({ path: tallyHome(root).warehouseFile });
    await applyPipelineDdl(warehouse, { library: duckdbSql });
    // nothing ever loaded and no collector counts: freshness-raw cannot tell idle from stuck, so it fails
    await runQualityJob({
      sql: duckdbSql,
      warehouse,
      checks: declaredChecks(),
      now: new Date('2026-03-10T15:05:00.000Z'),
    });
    await warehouse.close();

    const text = await report();
    expect(text).toContain('tally dev is not running');
    expect(text).toContain('quality: 16 checks, latest results 2026-03-10 15:05:00: FAILING freshness-raw');
    expect(text).toMatch(/^freshness-raw\s+raw\s+error\s+fail\s+0\.\.120\s+nothing loaded in 24 h/m);
    expect(text).toContain('runbooks: docs/runbooks/<check>.md');
    const json = JSON.parse(await report(true));
    expect(json.quality).toMatchObject({
      checks: 16,
      failing: [{ check_name: 'freshness-raw', status: 'fail' }],
    });
  });

  it('says when no check has run yet', async () => {
    const warehouse = await createDuckDbWarehouse({ path: tallyHome(root).warehouseFile });
    await applyPipelineDdl(warehouse, { library: duckdbSql });
    await warehouse.close();

    expect(await report()).toContain('quality: no results yet');
  });

  it('shows the running stack’s live line, its last transform and quality run, through the admin endpoint', async () => {
    const catalog = await loadFeatureCatalog('schemas/features.json');
    const stack = await startLocalStack({
      home: tallyHome(root),
      port: 0,
      logLevel: 'SILENT',
      jobs: (warehouse, library) =>
        warehouseJobs(warehouse, { library, catalog, transformIntervalMs: HOUR, qualityIntervalMs: HOUR }),
    });
    try {
      await stack.runJob('transform');
      await stack.runJob('quality');

      const text = await report();
      expect(text).toMatch(/^tally dev is running at http:\/\/127\.0\.0\.1:\d+ since /m);
      expect(text).toMatch(/transform \d{2}:\d{2}:\d{2} ok .* quality (ok|FAILING|warn)/);
      expect(text).toMatch(/^quality: 16 checks, latest results /m);
    } finally {
      await stack.stop();
    }
  }, 30_000);
});
