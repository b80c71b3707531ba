import { Duration } from 'aws-cdk-lib';
import { ComparisonOperator, Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { ERASURE_METRICS, ERASURE_METRICS_NAMESPACE, ERASURE_SERVICE } from '#core/erasure/metric-names.ts';
import { DEFAULT_ERASURE_SETTINGS } from '#core/erasure/settings.ts';
import type { AlarmSpec } from './alarms.ts';

/** Powertools' default dimension on every erasure metric (`service = erasure`). */
const SERVICE_DIMENSION = 'service';

const HOUR = Duration.hours(1);

/** One of the erasure Lambda's metrics (EMF), with the dimension Powertools adds. */
export const erasureMetric = (metricName: string, period: Duration, label?: string): Metric =>
  new Metric({
    namespace: ERASURE_METRICS_NAMESPACE,
    metricName,
    dimensionsMap: { [SERVICE_DIMENSION]: ERASURE_SERVICE },
    statistic: 'Maximum',
    period,
    label,
  });

/**
 * Erasure: requests open past the overdue age (15 days by default: a week before day 22, when Snowflake's copies still clear by the 30-day deadline), a run that failed,
 * no run for two days. The first two keep the state the last run reported until the next one (missing
 * data ignored: the job runs daily); the last treats a day without a run as breaching.
 */
export const erasureAlarms = (erasure: IFunction, objectDeadLetters?: IQueue): AlarmSpec[] => [
  ...(objectDeadLetters === undefined
    ? []
    : [
        {
          id: 'ErasureObjectDeadLetters',
          runbook: 'erasure-overdue',
          summary:
            'A raw object failed erasure on every attempt: its request waits at the objects step until the object is sent again (redrive the dead-letter queue).',
          metric: objectDeadLetters.metricApproximateNumberOfMessagesVisible({
            period: Duration.minutes(5),
            statistic: 'Maximum',
          }),
          threshold: 1,
          evaluationPeriods: 1,
          treatMissingData: TreatMissingData.NOT_BREACHING,
        } satisfies AlarmSpec,
      ]),
  {
    id: 'ErasureOverdue',
    runbook: 'erasure-overdue',
    summary: `GDPR erasure requests are still open ${DEFAULT_ERASURE_SETTINGS.overdueDays} days after receipt: an erasure must complete by day 22 for Snowflake's own copies to be gone by the 30-day deadline.`,
    metric: erasureMetric(ERASURE_METRICS.overdue, HOUR),
    threshold: 1,
    evaluationPeriods: 1,
    treatMissingData: TreatMissingData.IGNORE,
  },
  {
    id: 'ErasureFailures',
    runbook: 'erasure-overdue',
    summary: 'The last erasure run failed: open requests resume on the next run, closer to their deadline.',
    metric: erasure.metricErrors({ period: HOUR, statistic: 'Sum' }),
    threshold: 1,
    evaluationPeriods: 1,
    treatMissingData: TreatMissingData.IGNORE,
  },
  {
    id: 'ErasureNotRunning',
    runbook: 'erasure-overdue',
    summary: 'The erasure job has not run for two days: check its schedule.',
    metric: erasure.metricInvocations({ period: Duration.days(1), statistic: 'Sum' }),
    threshold: 1,
    evaluationPeriods: 2,
    comparison: ComparisonOperator.LESS_THAN_THRESHOLD,
    treatMissingData: TreatMissingData.BREACHING,
  },
];
