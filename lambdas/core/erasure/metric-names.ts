/**
 * Metric names the erasure Lambda publishes (Embedded Metric Format through Powertools), for the alarms and
 * the dashboard. Every metric carries the `service` dimension Powertools adds, with {@link ERASURE_SERVICE}.
 */

/** CloudWatch namespace of the erasure's metrics. */
export const ERASURE_METRICS_NAMESPACE = 'Tally';

/** Value of the `service` dimension on every erasure metric. */
export const ERASURE_SERVICE = 'erasure';

export const ERASURE_METRICS = {
  /** Requests not completed `overdueDays` (15) after receipt: the alarm fires a week before day 22, the last day
   * an erasure can complete for Snowflake's Time Travel and Fail-safe copies to be gone by the 30-day deadline. Count. */
  overdue: 'ErasureOverdueRequests',
  /** Requests not completed by their due date (received + 30 days): a missed deadline. Count. */
  pastDue: 'ErasureRequestsPastDue',
  /** Requests not completed yet. Count. */
  open: 'ErasureRequestsOpen',
  /** Requests this run completed. Count. */
  completed: 'ErasureRequestsCompleted',
  /** Requests this run could not finish (they resume on the next run). Count. */
  failed: 'ErasureRequestsFailed',
  /** Events of erased users found loaded after their erasure, queued for removal. Count. */
  lateEvents: 'ErasureLateEventsSuppressed',
} as const;

export type ErasureMetricName = (typeof ERASURE_METRICS)[keyof typeof ERASURE_METRICS];

/** One datapoint, for the handler to publish. */
export interface ErasureMetric {
  readonly name: ErasureMetricName;
  readonly value: number;
}
