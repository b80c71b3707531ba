import type { QualityCheck } from '#core/quality/check.ts';
import type { AcceptedCounts, QualityMetricsPublisher } from '#core/quality/ports.ts';
import { runQualityJob } from '#core/quality/quality-job.ts';
import { failingChecks, statusLine } from '#core/quality/verdict.ts';
import type { Warehouse } from '#core/warehouse/ports.ts';
import type { SqlLibrary } from '#core/warehouse/sql-library.ts';

/** The slice of a logger the quality Lambda needs (Powertools Logger fits). */
export interface QualityLogger {
  info(message: string, attributes: Record<string, unknown>): void;
  error(message: string, attributes: Record<string, unknown>): void;
}

/** What the quality Lambda's handler runs with, built once per container by `lambdas/handlers/quality.ts`. */
export interface QualityLambdaDeps {
  readonly warehouse: Warehouse;
  readonly sql: SqlLibrary;
  readonly checks: readonly QualityCheck[];
  readonly publisher: QualityMetricsPublisher;
  /** The collector's `AcceptedEvents` metric read back (CloudWatchAcceptedCounts): the reconciliation's left side. */
  readonly acceptedCounts: AcceptedCounts;
  readonly logger: QualityLogger;
  /** The run's clock. @default () => new Date() */
  readonly now?: () => Date;
}

/** The outcome the scheduled invocation returns (and an operator's `aws lambda invoke` prints). */
export interface QualityLambdaResult {
  readonly runId: string;
  readonly status: string;
}

/**
 * The quality Lambda's handler: every check with the deployment's accepted counts, results recorded,
 * metrics published, one log line per check that could not run and one for the run. Failing checks
 * are data, not errors: it only throws when it cannot reach the warehouse.
 */
export const createQualityHandler = (deps: QualityLambdaDeps) => async (): Promise<QualityLambdaResult> => {
  const run = await runQualityJob({
    warehouse: deps.warehouse,
    checks: deps.checks,
    sql: deps.sql,
    publisher: deps.publisher,
    acceptedCounts: deps.acceptedCounts,
    now: deps.now?.() ?? new Date(),
  });
  for (const error of run.errors) {
    deps.logger.error('check could not run', { check: error.check, error: error.message });
  }
  const status = statusLine(run);
  deps.logger.info('quality run', { runId: run.runId, status, failing: failingChecks(run) });
  return { runId: run.runId, status };
};
