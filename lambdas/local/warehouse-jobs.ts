import { runErasureJob, scheduledRunLine } from '#core/erasure/erasure-job.ts';
import type { ObjectStore } from '#core/erasure/ports.ts';
import { runQualityJob } from '#core/quality/quality-job.ts';
import { declaredChecks } from '#core/quality/registry.ts';
import { statusLine } from '#core/quality/verdict.ts';
import { WarehouseAcceptedCounts } from '#core/quality/warehouse-accepted-counts.ts';
import type { CatalogSource } from '#core/warehouse/catalog-rows.ts';
import type { Warehouse } from '#core/warehouse/ports.ts';
import type { RunReport } from '#core/warehouse/run-engine.ts';
import { runIncremental, runTotals } from '#core/warehouse/runner.ts';
import type { SqlLibrary } from '#core/warehouse/sql-library.ts';
import type { ScheduledJob } from './scheduler.ts';

/** Owner name of local transform runs in ops.locks. */
export const LOCAL_TRANSFORM_OWNER = 'tally-dev-local';
/** Owner name of the scheduled local erasure runs in ops.locks. */
export const LOCAL_ERASURE_OWNER = 'tally-dev-erasure';

export interface WarehouseJobOptions {
  /** The SQL library of the warehouse's dialect (the local stack's). */
  readonly library: SqlLibrary;
  readonly catalog: CatalogSource;
  /** @default 60_000 (EventBridge runs it every 5 minutes on AWS; locally a minute keeps the demo lively) */
  readonly transformIntervalMs?: number;
  /** Quality checks interval; 0 turns them off. @default 60_000 */
  readonly qualityIntervalMs?: number;
  /**
   * The erasure job (the daily Lambda on AWS): sweeps late events of erased users and finishes open
   * requests, over the bucket folder. Absent: not scheduled.
   */
  readonly erasure?: { readonly objects: ObjectStore; readonly intervalMs: number };
}

/** Days of ops.collector_counts kept (the reconciliation looks back 24 hours). */
export const COLLECTOR_COUNTS_DAYS = 14;

/**
 * The scheduled warehouse jobs of local mode (the EventBridge schedules on AWS): the
 * incremental transform, every declared quality check (results in ops.quality_results;
 * the summary shows in the status line), and the erasure sweep when given the bucket. Quality is reconciled against the collector's accepted counts that the
 * local stack keeps in ops.collector_counts. The tables exist already (the local stack applies
 * the pipeline's DDL when it opens the warehouse: docs/WAREHOUSE.md, One DDL policy). Local runs take
 * the transform lock under one fixed, exclusive owner: DuckDB lets only one process open the database and
 * the scheduler never overlaps a job with itself, so a lock still held by that owner when a run starts was
 * left by an earlier run (killed, or whose release hit a full disk), and is taken back rather than waited
 * out.
 */
export const warehouseJobs = async (
  warehouse: Warehouse,
  options: WarehouseJobOptions,
): Promise<ScheduledJob[]> => {
  // the tables exist: the local stack applied the pipeline's DDL when it opened the warehouse
  const { library } = options;
  const jobs: ScheduledJob[] = [
    {
      name: 'transform',
      intervalMs: options.transformIntervalMs ?? 60_000,
      runAtStart: true,
      run: async (signal) =>
        summarise(
          await runIncremental({
            warehouse,
            catalog: options.catalog,
            library,
            owner: LOCAL_TRANSFORM_OWNER,
            exclusiveOwner: true,
            signal,
          }),
        ),
    },
  ];
  const qualityIntervalMs = options.qualityIntervalMs ?? 60_000;
  if (qualityIntervalMs > 0) {
    const acceptedCounts = new WarehouseAcceptedCounts(warehouse, library);
    jobs.push({
      name: 'quality',
      intervalMs: qualityIntervalMs,
      run: async () => {
        const now = new Date();
        const run = await runQualityJob({
          warehouse,
          sql: library,
          checks: declaredChecks(),
          now,
          acceptedCounts,
        });
        await acceptedCounts.prune(new Date(now.getTime() - COLLECTOR_COUNTS_DAYS * 86_400_000));
        return statusLine(run);
      },
    });
  }
  if (options.erasure !== undefined && options.erasure.intervalMs > 0) {
    const { objects, intervalMs } = options.erasure;
    jobs.push({
      name: 'erasure',
      intervalMs,
      run: async () => {
        const result = await runErasureJob(
          { warehouse, objects, catalog: options.catalog, library, owner: LOCAL_ERASURE_OWNER },
          {},
        );
        const line = scheduledRunLine(result);
        // a request that cannot finish resumes at the next run, as the Lambda's does; the status says so
        if (result.failed.length > 0) {
          throw new Error(`${line}: ${result.failed.map((f) => f.error).join('; ')}`);
        }
        return line;
      },
    });
  }
  return jobs;
};

/** `fct_feature_events +120 rows, 8 models in 340 ms` */
export const summarise = (report: RunReport): string => {
  const { factRowsWritten, durationMs } = runTotals(report);
  return `${report.mode}: fct_feature_events +${factRowsWritten} rows, ${report.models.length} models in ${durationMs} ms`;
};
