import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadFeatureCatalog } from '#adapters/node/load-feature-catalog.ts';
import {
  COLLECTOR_TO_RAW,
  RAW_TO_CURATED,
  reconciliationCheck,
} from '#core/quality/checks/reconciliation.ts';
import { runQualityJob } from '#core/quality/quality-job.ts';
import type { QualityRun } from '#core/quality/runner.ts';
import { WarehouseAcceptedCounts } from '#core/quality/warehouse-accepted-counts.ts';
import type { Warehouse } from '#core/warehouse/ports.ts';
import { DEMO_SOURCES, type DemoSource } from '#demo/demo-sources.ts';
import { DemoWorkload } from '#demo/demo-workload.ts';
import { duckdbSql } from '#test/support/sql-library.ts';
import { type LocalStack, startLocalStack } from '../../lambdas/local/local-stack.ts';
import { RequestSender } from '../../lambdas/local/request-sender.ts';
import { tallyHome } from '../../lambdas/local/tally-home.ts';
import { warehouseJobs } from '../../lambdas/local/warehouse-jobs.ts';
import { withFault } from '../core/quality/support/clean-warehouse.ts';

const HOUR = 3_600_000;

let root: string;
let stack: LocalStack;
let sentEvents: number;

/** The reconciliation as of 16 minutes from now: both legs' settle windows then cover everything sent. */
const reconcile = (warehouse: Warehouse): Promise<QualityRun> =>
  runQualityJob({
    sql: duckdbSql,
    warehouse,
    checks: [reconciliationCheck()],
    now: new Date(Date.now() + 16 * 60_000),
    acceptedCounts: new WarehouseAcceptedCounts(warehouse, duckdbSql),
    record: false,
  });

const legs = (run: QualityRun, leg: string) => run.results.filter((r) => r.bucket.startsWith(`leg=${leg}|`));

/**
 * Acknowledged events the collector's count takes as one with another: copies of one event text from
 * one source received in the same millisecond (a demo client retry that lands in the original's
 * millisecond), which raw cannot tell from a replay's lines either. This run replays nothing, so every
 * raw line is one acknowledged event.
 */
const sameMillisecondCopies = async (warehouse: Warehouse): Promise<number> => {
  const [row] = await warehouse.query<{ n: number | bigint }>(
    `SELECT (SELECT COUNT(*) - COUNT(DISTINCT (source_id, received_at, CAST(payload AS VARCHAR))) FROM raw.events)
          + (SELECT COUNT(*) - COUNT(DISTINCT (source_id, received_at, substr(raw_record, strpos(raw_record, chr(10)) + 1)))
             FROM raw.rejected_events) AS n`,
  );
  return Number(row?.n ?? 0);
};

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'tally-reconcile-'));
  const catalog = await loadFeatureCatalog('schemas/features.json');
  stack = await startLocalStack({
    home: tallyHome(root),
    port: 0,
    sources: ['local', ...DEMO_SOURCES],
    logLevel: 'SILENT',
    jobs: (warehouse, library) =>
      warehouseJobs(warehouse, { library, catalog, transformIntervalMs: HOUR, qualityIntervalMs: 0 }),
  });
  // two hours of demo traffic sent at once: retries, spoiled events, refused requests, Segment and native
  const start = Math.floor(Date.now() / HOUR) * HOUR - 2 * HOUR;
  const workload = new DemoWorkload({
    seed: 11,
    features: catalog.features,
    writeKeys: Object.fromEntries(DEMO_SOURCES.map((s) => [s, stack.writeKeys[s] ?? ''])) as Record<
      DemoSource,
      string
    >,
    start,
    end: start + 2 * HOUR,
    eventsPerSecond: 0.1,
    seasonal: false,
  });
  const sender = new RequestSender({ url: stack.url, concurrency: 8, retryDelayMs: 50 });
  await sender.sendAll(workload.requests());
  sentEvents = sender.stats.acknowledgedEvents;
  await stack.settle();
  await stack.runJob('transform');
}, 120_000);

afterAll(async () => {
  await stack?.stop();
  await rm(root, { recursive: true, force: true });
});

describe('reconciliation on the local stack', () => {
  it('passes on a clean run: what the collector accepted landed in raw once, and every raw event is in the fact', async () => {
    const run = await reconcile(stack.warehouse);

    expect(run.results.filter((r) => r.status !== 'pass')).toEqual([]);
    const collector = legs(run, COLLECTOR_TO_RAW);
    expect(collector.map((r) => r.bucket)).toEqual(
      expect.arrayContaining([
        'leg=collector_to_raw|source=web-app|event=feature_used',
        'leg=collector_to_raw|source=web-app|event=page_viewed',
        // spoiled events the validator rejects before it reads a name
        expect.stringMatching(/^leg=collector_to_raw\|source=[a-z-]+\|event=$/),
      ]),
    );
    const accepted = collector.reduce((n, r) => n + Number(/accepted (\d+)/.exec(r.detail ?? '')?.[1]), 0);
    expect(accepted).toBe(sentEvents - (await sameMillisecondCopies(stack.warehouse)));
    expect(legs(run, RAW_TO_CURATED).length).toBeGreaterThan(0);
  });

  it('fails the collector leg when events are dropped between the stream and raw, naming source, event and minute', async () => {
    const run = await withFault(stack.warehouse, async (tx) => {
      await tx.execute(`DELETE FROM raw.events WHERE rowid IN (
        SELECT rowid FROM raw.events WHERE source_id = 'web-app' AND event_name = 'feature_used' LIMIT 3)`);
      return reconcile(tx);
    });

    const failing = run.results.filter((r) => r.status === 'fail');
    expect(failing.map((r) => [r.bucket, r.observed])).toEqual([
      ['leg=collector_to_raw|source=web-app|event=feature_used', 3],
    ]);
    expect(failing[0]?.sample[0]).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2} \d+\/\d+$/);
  });
});
