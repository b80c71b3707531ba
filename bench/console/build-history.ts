import type { FeatureCatalog } from '#core/schema/feature-catalog.ts';
import type { Warehouse } from '#core/warehouse/ports.ts';
import { DEMO_SOURCES, type DemoSource } from '#demo/demo-sources.ts';
import { DemoWorkload } from '#demo/demo-workload.ts';
import { startLocalStack } from '../../lambdas/local/local-stack.ts';
import { RequestSender } from '../../lambdas/local/request-sender.ts';
import type { TallyHome } from '../../lambdas/local/tally-home.ts';
import { warehouseJobs } from '../../lambdas/local/warehouse-jobs.ts';

const HOUR = 3_600_000;

export interface HistoryShape {
  readonly days: number;
  /** Mean demo events per second (the daily and weekly curve on top). */
  readonly eventsPerSecond: number;
  readonly seed: number;
}

/**
 * Sends `days` of the NovaSuite demo workload through the real local stack (collector, validator, loader)
 * in `home`, runs the transform and the quality checks on it, then gives the ops tables the history a
 * stack that ran that long would have (the demo's history arrives at once, so its checks and model runs
 * all happen now): the latest quality run and model run repeated every minute back over the range, as
 * `tally dev` runs them every minute. Returns the events the collector acknowledged.
 */
export const buildHistory = async (
  home: TallyHome,
  catalog: FeatureCatalog,
  shape: HistoryShape,
  log: (line: string) => void,
): Promise<number> => {
  const stack = await startLocalStack({
    home,
    port: 0,
    sources: ['local', ...DEMO_SOURCES],
    logLevel: 'SILENT',
    jobs: (warehouse, library) =>
      warehouseJobs(warehouse, {
        library,
        catalog,
        transformIntervalMs: 24 * HOUR,
        qualityIntervalMs: 24 * HOUR,
      }),
  });
  try {
    const end = Math.floor(Date.now() / HOUR) * HOUR;
    const workload = new DemoWorkload({
      seed: shape.seed,
      features: catalog.features,
      writeKeys: Object.fromEntries(DEMO_SOURCES.map((s) => [s, stack.writeKeys[s] ?? ''])) as Record<
        DemoSource,
        string
      >,
      start: end - shape.days * 24 * HOUR,
      end,
      eventsPerSecond: shape.eventsPerSecond,
    });
    const started = Date.now();
    const sender = new RequestSender({ url: stack.url, concurrency: 16, retryDelayMs: 50 });
    const progress = setInterval(
      () => log(`  sent ${sender.stats.acknowledgedEvents.toLocaleString('en')} events`),
      30_000,
    );
    await sender.sendAll(workload.requests());
    clearInterval(progress);
    log(
      `  ${sender.stats.acknowledgedEvents.toLocaleString('en')} events acknowledged in ${Math.round((Date.now() - started) / 1000)} s`,
    );
    await stack.settle();
    log(`  loaded into raw at ${Math.round((Date.now() - started) / 1000)} s; transform...`);
    await stack.runJob('transform');
    await stack.runJob('quality');
    log(`  transform and quality done at ${Math.round((Date.now() - started) / 1000)} s; ops history...`);
    await repeatBack(stack.warehouse, shape.days);
    return sender.stats.acknowledgedEvents;
  } finally {
    await stack.stop();
  }
};

/** Copies of the latest quality run and model run, one a minute, back over `days` (DuckDB SQL). */
const repeatBack = async (warehouse: Warehouse, days: number): Promise<void> => {
  const minutes = days * 24 * 60;
  await warehouse.execute(`INSERT INTO ops.quality_results
    SELECT q.run_id || '-' || m.i, q.checked_at - to_minutes(CAST(m.i AS BIGINT)), q.check_name, q.bucket, q.severity,
      q.status, q.observed, q.expected_min, q.expected_max, q.offending_keys, q.detail
    FROM ops.quality_results q, range(1, ${minutes}) m(i)
    WHERE q.run_id = (SELECT run_id FROM ops.quality_results ORDER BY checked_at DESC LIMIT 1)`);
  await warehouse.execute(`INSERT INTO ops.quality_check_runs
    SELECT c.run_id || '-' || m.i, c.checked_at - to_minutes(CAST(m.i AS BIGINT)), c.check_name, c.severity, c.status,
      c.buckets, c.failing_buckets, c.observed_max, c.observed_abs_total
    FROM ops.quality_check_runs c, range(1, ${minutes}) m(i)
    WHERE c.run_id = (SELECT run_id FROM ops.quality_check_runs ORDER BY checked_at DESC LIMIT 1)`);
  await warehouse.execute(`INSERT INTO ops.model_runs
    SELECT r.run_id || '-' || m.i, r.model_name, r.mode, r.status, r.started_at - to_minutes(CAST(m.i AS BIGINT)),
      r.finished_at - to_minutes(CAST(m.i AS BIGINT)), r.duration_ms, r.rows_read, r.rows_written, r.watermark_from,
      r.watermark_to, r.range_from, r.range_to, CAST('[]' AS JSON), r.error
    FROM ops.model_runs r, range(1, ${minutes}) m(i)
    WHERE r.run_id = (SELECT run_id FROM ops.model_runs WHERE model_name = 'fct_feature_events' ORDER BY finished_at DESC LIMIT 1)`);
};
