import type { Warehouse } from '#core/warehouse/ports.ts';
import type { SqlLibrary } from '#core/warehouse/sql-library.ts';
import { collectUnloadableLines } from '#core/warehouse/unloadable-lines.ts';
import type { QualityCheck, UnloadableCopy } from './check.ts';
import type { AcceptedCounts, QualityMetricsPublisher } from './ports.ts';
import { recordRun } from './results-writer.ts';
import { type QualityRun, runChecks } from './runner.ts';

/** What one scheduled or on-demand quality run needs. */
export interface QualityJob {
  readonly warehouse: Warehouse;
  readonly checks: readonly QualityCheck[];
  /** The run's clock (the scheduler's tick); now by default. */
  readonly now?: Date;
  /** Offending keys kept per bucket. */
  readonly sampleSize?: number;
  readonly acceptedCounts?: AcceptedCounts;
  /** Where metrics go (EMF on AWS); none locally. */
  readonly publisher?: QualityMetricsPublisher;
  /** Write results to ops.quality_results (default true). */
  readonly record?: boolean;
  readonly sql: SqlLibrary;
}

export const DEFAULT_SAMPLE_SIZE = 10;

/**
 * Copies the lines Snowpipe could not load into raw.rejected_events (a no-op on DuckDB, whose loader
 * stores them itself), then runs the checks, records every result and publishes the metrics: the one
 * entry point the Lambda handler, `tally check` and the local scheduler share. A failed copy does not
 * stop the checks: the unloadable-lines check reports it as its error.
 */
export const runQualityJob = async (job: QualityJob): Promise<QualityRun> => {
  const now = job.now ?? new Date();
  const unloadableCopy: UnloadableCopy = await collectUnloadableLines(job.warehouse, {
    now,
    library: job.sql,
  }).then(
    (copied) => ({ copied }),
    (error: unknown) => ({ error }),
  );
  const run = await runChecks(job.checks, {
    warehouse: job.warehouse,
    now,
    sampleSize: job.sampleSize ?? DEFAULT_SAMPLE_SIZE,
    unloadableCopy,
    sql: job.sql,
    ...(job.acceptedCounts ? { acceptedCounts: job.acceptedCounts } : {}),
  });
  if (job.record ?? true) await recordRun(job.warehouse, run, job.sql);
  job.publisher?.publish(run.metrics);
  return run;
};
