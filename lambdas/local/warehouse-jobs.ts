import { applyPipelineDdl } from '#core/pipeline/pipeline-ddl.ts';
import { runQualityJob } from '#core/quality/quality-job.ts';
import { declaredChecks } from '#core/quality/registry.ts';
import { statusLine } from '#core/quality/verdict.ts';
import { WarehouseAcceptedCounts } from '#core/quality/warehouse-accepted-counts.ts';
import type { CatalogSource } from '#core/warehouse/catalog-rows.ts';
import type { Warehouse } from '#core/warehouse/ports.ts';
import type { RunReport } from '#core/warehouse/run-engine.ts';
import { runIncremental } from '#core/warehouse/runner.ts';
import type { ScheduledJob } from './scheduler.ts';

/** Owner name of local transform runs in ops.locks. */
export const LOCAL_TRANSFORM_OWNER = 'tally-dev-local';

export interface WarehouseJobOptions {
  readonly catalog: CatalogSource;
  /** @default 60_000 (EventBridge runs it every 5 minutes on AWS; locally a minute keeps the demo lively) */
  readonly transformIntervalMs?: number;
  /** Quality checks interval; 0 turns them off. @default 60_000 */
  readonly qualityIntervalMs?: number;
}

/** Days of ops.collector_counts kept (the reconciliation looks back 24 hours). */
export const COLLECTOR_COUNTS_DAYS = 14;

/**
 * The scheduled warehouse jobs of local mode (the EventBridge schedules on AWS): the
 * incremental transform, and every declared quality check (results in ops.quality_results;
 * the summary shows in the status line), reconciled against the collector's accepted counts that the
 * local stack keeps in ops.collector_counts. Creates every table of the pipeline first. Local runs take
 * the transform lock under one fixed, exclusive owner: DuckDB lets only one process open the database and
 * the scheduler never overlaps a job with itself, so a lock still held by that owner when a run starts was
 * left by an earlier run (killed, or whose release hit a full disk), and is taken back rather than waited
 * out.
 */
export const warehouseJobs = async (
  warehouse: Warehouse,
  options: WarehouseJobOptions,
): Promise<ScheduledJob[]> => {
  await applyPipelineDdl(warehouse);
  const jobs: ScheduledJob[] = [
    {
      name: 'transform',
      intervalMs: options.transformIntervalMs ?? 60_000,
      runAtStart: true,
      run: async () =>
        summarise(
          await runIncremental({
            warehouse,
            catalog: options.catalog,
            owner: LOCAL_TRANSFORM_OWNER,
            exclusiveOwner: true,
          }),
        ),
    },
  ];
  const qualityIntervalMs = options.qualityIntervalMs ?? 60_000;
  if (qualityIntervalMs > 0) {
    const acceptedCounts = new WarehouseAcceptedCounts(warehouse);
    jobs.push({
      name: 'quality',
      intervalMs: qualityIntervalMs,
      run: async () => {
        const now = new Date();
        const run = await runQualityJob({ warehouse, checks: declaredChecks(), now, acceptedCounts });
        await acceptedCounts.prune(new Date(now.getTime() - COLLECTOR_COUNTS_DAYS * 86_400_000));
        return statusLine(run);
      },
    });
  }
  return jobs;
};

/** `fct_feature_events +120 rows, 8 models in 340 ms` */
export const summarise = (report: RunReport): string => {
  const fact = report.models.find((m) => m.model === 'fct_feature_events');
  const total = report.models.reduce((sum, m) => sum + m.durationMs, 0);
  return `${report.mode}: fct_feature_events +${fact?.rowsWritten ?? 0} rows, ${report.models.length} models in ${Math.round(total)} ms`;
};
