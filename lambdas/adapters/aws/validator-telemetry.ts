import type { Logger } from '@aws-lambda-powertools/logger';
import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { BatchResult } from '#core/validator/process-batch.ts';

/** CloudWatch namespace and service dimension of the validator's metrics. */
export const VALIDATOR_METRICS_NAMESPACE = 'Tally';
export const VALIDATOR_SERVICE_NAME = 'validator';

/** Metric names the validator publishes (EMF); alarms and the dashboard refer to these. */
export const VALIDATOR_METRICS = {
  validated: 'EventsValidated',
  /** Published once in total and once per `Reason` dimension. */
  rejected: 'EventsRejected',
  sinkFailures: 'SinkFailures',
  validatorErrors: 'ValidatorErrors',
} as const;

export const REJECT_REASON_DIMENSION = 'Reason';

/**
 * Publishes a batch's counts as metrics and logs what went wrong. Logs carry sequence numbers,
 * counts and error messages only, never event content (which may hold personal data).
 */
export const reportBatchResult = (
  result: BatchResult,
  telemetry: { logger: Logger; metrics: Metrics },
): void => {
  const { logger, metrics } = telemetry;
  const { counts } = result;
  const rejectedTotal = Object.values(counts.rejected).reduce((sum, n) => sum + (n ?? 0), 0);
  metrics.addMetric(VALIDATOR_METRICS.validated, MetricUnit.Count, counts.validated);
  metrics.addMetric(VALIDATOR_METRICS.rejected, MetricUnit.Count, rejectedTotal);
  metrics.addMetric(VALIDATOR_METRICS.sinkFailures, MetricUnit.Count, counts.sinkFailures);
  metrics.addMetric(VALIDATOR_METRICS.validatorErrors, MetricUnit.Count, counts.validatorErrors);
  for (const [reason, count] of Object.entries(counts.rejected)) {
    const byReason = metrics.singleMetric();
    byReason.addDimension(REJECT_REASON_DIMENSION, reason);
    byReason.addMetric(VALIDATOR_METRICS.rejected, MetricUnit.Count, count ?? 0);
  }
  for (const error of result.errors) {
    if (error.stage === 'validate') {
      logger.error('validator threw on a record; it will be retried', {
        sequenceNumber: error.sequenceNumber,
        error: error.error,
      });
    } else {
      logger.error(`the ${error.stage} sink failed; its records will be retried`, {
        lines: error.lines,
        error: error.error,
      });
    }
  }
  logger.info('batch processed', {
    ...counts,
    rejected: rejectedTotal,
    retried: result.batchItemFailures.length,
  });
};
