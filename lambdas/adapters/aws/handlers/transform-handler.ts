import type { CatalogSource } from '#core/warehouse/catalog-rows.ts';
import { TransformLockedError } from '#core/warehouse/errors.ts';
import type { Warehouse } from '#core/warehouse/ports.ts';
import { runIncremental, runTotals } from '#core/warehouse/runner.ts';
import type { SqlLibrary } from '#core/warehouse/sql-library.ts';

/** The slice of a logger the transform Lambda needs (Powertools Logger fits). */
export interface TransformLogger {
  info(message: string, attributes: Record<string, unknown>): void;
  warn(message: string, attributes: Record<string, unknown>): void;
}

/** Where the run's metrics go: Powertools Metrics (EMF, flushed by its middy middleware) fits. */
export interface TransformMetrics {
  addMetric(name: string, unit: 'Count' | 'Milliseconds', value: number): void;
}

/** The metrics a transform invocation publishes, namespace Tally, service transform. */
export const TRANSFORM_METRICS = {
  /** Rows written into the fact by the run (0 for a skipped run). */
  factRows: 'TransformFactRows',
  /** Sum of the models' durations. */
  duration: 'TransformDuration',
  /** 1 when the run was skipped because another run held the lock. */
  skipped: 'TransformSkipped',
} as const;

export interface TransformLambdaDeps {
  readonly warehouse: Warehouse;
  readonly catalog: CatalogSource;
  readonly library: SqlLibrary;
  readonly logger: TransformLogger;
  readonly metrics: TransformMetrics;
  /** Time kept after the last statement may start: one statement, then the rollback and the lock. */
  readonly reserveMs: number;
  /** The run's clock. @default () => new Date() */
  readonly now?: () => Date;
}

export type TransformLambdaResult =
  | { readonly outcome: 'ran'; readonly runId: string; readonly factRows: number }
  | { readonly outcome: 'skipped'; readonly heldBy: string; readonly until: string };

/**
 * The transform Lambda's handler: one incremental run inside the invocation's time (the deadline is the
 * Lambda's remaining time), its metrics and one log line. A run that finds the previous one still holding
 * the lock is skipped, not failed; any other failure throws (the invocation fails and the alarm on
 * errors sees it).
 */
export const createTransformHandler =
  (deps: TransformLambdaDeps) =>
  async (context: { getRemainingTimeInMillis(): number }): Promise<TransformLambdaResult> => {
    const now = deps.now ?? (() => new Date());
    const deadline = {
      at: new Date(now().getTime() + context.getRemainingTimeInMillis()),
      reserveMs: deps.reserveMs,
    };
    try {
      const report = await runIncremental({
        warehouse: deps.warehouse,
        catalog: deps.catalog,
        library: deps.library,
        deadline,
        clock: now,
      });
      const { runId, models } = report;
      const { factRowsWritten, durationMs } = runTotals(report);
      deps.metrics.addMetric(TRANSFORM_METRICS.factRows, 'Count', factRowsWritten);
      deps.metrics.addMetric(TRANSFORM_METRICS.duration, 'Milliseconds', durationMs);
      deps.metrics.addMetric(TRANSFORM_METRICS.skipped, 'Count', 0);
      deps.logger.info('transform run', { runId, models: models.map(({ loads: _loads, ...m }) => m) });
      return { outcome: 'ran', runId, factRows: factRowsWritten };
    } catch (error) {
      if (!(error instanceof TransformLockedError)) throw error;
      deps.metrics.addMetric(TRANSFORM_METRICS.skipped, 'Count', 1);
      deps.logger.warn('transform skipped: lock held', { owner: error.owner, expiresAt: error.expiresAt });
      return { outcome: 'skipped', heldBy: error.owner, until: error.expiresAt };
    }
  };
