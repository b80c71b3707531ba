import { Duration } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { ComparisonOperator, MathExpression, Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import type { IStream } from 'aws-cdk-lib/aws-kinesis';
import type { IDeliveryStream } from 'aws-cdk-lib/aws-kinesisfirehose';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import {
  VALIDATOR_METRICS,
  VALIDATOR_METRICS_NAMESPACE,
  VALIDATOR_SERVICE_NAME,
} from '#adapters/aws/validator-telemetry.ts';
import type { AlarmSpec } from './alarms.ts';

const MINUTE = Duration.minutes(1);
const FIVE_MINUTES = Duration.minutes(5);

/** Thresholds every pipeline alarm uses, named so tests and runbooks refer to the same numbers. */
export const ALARM_THRESHOLDS = {
  /** Percent of collector requests answered 5xx, 3 of 5 minutes. */
  collector5xxPercent: 1,
  /** Collector p99 latency in ms, 3 consecutive 5-minute periods. */
  collectorP99LatencyMs: 1000,
  /** Validator records that failed (sink failures plus validator errors) or failed invocations, per 5 minutes. */
  validatorFailures: 1,
  /** Oldest unprocessed record age in ms, 5 consecutive minutes: the 2-minute raw target is at risk. */
  validatorIteratorAgeMs: 60_000,
  /** Firehose: age of the oldest record not yet in S3, seconds, 2 consecutive 5-minute periods. */
  firehoseFreshnessSeconds: 300,
  /** Firehose: fraction of S3 deliveries that succeeded, below which it pages. */
  firehoseDeliverySuccess: 1,
  /** Firehose: records throttled (over the stream's bytes, records or requests per second quota), per minute, 3 of 5. */
  firehoseThrottledRecords: 1,
  /** Firehose: percent of the stream's bytes-per-second quota used, 2 of 3 periods of 5 minutes: ask for more. */
  firehoseQuotaPercent: 80,
  /** Kinesis: records the raw stream refused for throughput, per minute, 3 of 5. */
  streamWriteThrottled: 1,
  /** Failure queue: a batch's pointers waited this share of the stream's retention; replay before it expires. */
  failedBatchAgeShareOfRetention: 0.5,
  /** Transform: failed runs in each of 2 consecutive 5-minute periods. */
  transformErrors: 1,
  /** Transform: share of the timeout a run may take, 3 consecutive periods. */
  transformDurationShareOfTimeout: 0.8,
} as const;

const validatorMetric = (name: string) =>
  new Metric({
    namespace: VALIDATOR_METRICS_NAMESPACE,
    metricName: name,
    dimensionsMap: { service: VALIDATOR_SERVICE_NAME },
    statistic: 'Sum',
    period: FIVE_MINUTES,
  });

/** Collector: share of 5xx answers and p99 latency of the HTTP API. */
export const collectorAlarms = (api: HttpApi): AlarmSpec[] => [
  {
    id: 'Collector5xx',
    runbook: 'collector-5xx',
    summary: `Over ${ALARM_THRESHOLDS.collector5xxPercent}% of collector requests answer 5xx: SDKs are retrying and may be buffering events.`,
    metric: new MathExpression({
      label: '5xx percent',
      expression: 'IF(requests > 0, 100 * errors / requests, 0)',
      usingMetrics: {
        errors: api.metricServerError({ period: MINUTE, statistic: 'Sum' }),
        requests: api.metricCount({ period: MINUTE, statistic: 'Sum' }),
      },
      period: MINUTE,
    }),
    threshold: ALARM_THRESHOLDS.collector5xxPercent,
    evaluationPeriods: 5,
    datapointsToAlarm: 3,
    comparison: ComparisonOperator.GREATER_THAN_THRESHOLD,
  },
  {
    id: 'CollectorLatency',
    runbook: 'collector-latency',
    summary: `Collector p99 latency is above ${ALARM_THRESHOLDS.collectorP99LatencyMs} ms: SDK requests may time out.`,
    metric: api.metricLatency({ period: FIVE_MINUTES, statistic: 'p99' }),
    threshold: ALARM_THRESHOLDS.collectorP99LatencyMs,
    evaluationPeriods: 3,
    comparison: ComparisonOperator.GREATER_THAN_THRESHOLD,
  },
];

/**
 * Raw stream: writes refused for throughput. The collector retries them within its budget, then answers
 * 503; sustained throttling means the stream lacks shards (provisioned) or has not scaled yet (on-demand).
 */
export const streamAlarms = (stream: IStream): AlarmSpec[] => [
  {
    id: 'RawStreamWriteThrottling',
    runbook: 'stream-throttling',
    summary:
      'The raw Kinesis stream is refusing writes for throughput: the collector retries, then answers 503 and SDKs back off.',
    metric: stream.metricWriteProvisionedThroughputExceeded({ period: MINUTE, statistic: 'Sum' }),
    threshold: ALARM_THRESHOLDS.streamWriteThrottled,
    evaluationPeriods: 5,
    datapointsToAlarm: 3,
  },
];

/** Validator: failed records or invocations, abandoned batches, and how far behind the stream it is. */
export const validatorAlarms = (
  validator: IFunction,
  failureQueue: IQueue,
  streamRetention: Duration,
): AlarmSpec[] => [
  {
    id: 'ValidatorErrors',
    runbook: 'validator-errors',
    summary:
      'The validator is failing records (sink failures, validator bugs or crashed invocations); they are being retried.',
    metric: new MathExpression({
      label: 'failed records and invocations',
      expression: 'FILL(sinkFailures, 0) + FILL(validatorErrors, 0) + FILL(invocationErrors, 0)',
      usingMetrics: {
        sinkFailures: validatorMetric(VALIDATOR_METRICS.sinkFailures),
        validatorErrors: validatorMetric(VALIDATOR_METRICS.validatorErrors),
        invocationErrors: validator.metricErrors({ period: FIVE_MINUTES, statistic: 'Sum' }),
      },
      period: FIVE_MINUTES,
    }),
    threshold: ALARM_THRESHOLDS.validatorFailures,
    evaluationPeriods: 3,
    datapointsToAlarm: 2,
  },
  {
    id: 'ValidatorAbandonedBatches',
    runbook: 'validator-errors',
    summary:
      'Batches exhausted their retries and were skipped: replay them from the failure queue before the stream expires them.',
    metric: failureQueue.metricApproximateNumberOfMessagesVisible({ period: MINUTE, statistic: 'Maximum' }),
    threshold: 1,
    evaluationPeriods: 1,
  },
  {
    id: 'ValidatorReplayDeadline',
    runbook: 'validator-errors',
    summary:
      `Failed batches have waited in the failure queue for ${ALARM_THRESHOLDS.failedBatchAgeShareOfRetention * 100}% of ` +
      `the stream's ${streamRetention.toHours()}-hour retention: replay them now (docs/runbooks/validator-errors.md), ` +
      'or their records expire from the stream and are lost.',
    metric: failureQueue.metricApproximateAgeOfOldestMessage({ period: FIVE_MINUTES, statistic: 'Maximum' }),
    threshold: streamRetention.toSeconds() * ALARM_THRESHOLDS.failedBatchAgeShareOfRetention,
    evaluationPeriods: 1,
  },
  {
    id: 'ValidatorIteratorAge',
    runbook: 'validator-iterator-age',
    summary: `The validator is over ${ALARM_THRESHOLDS.validatorIteratorAgeMs / 1000} s behind the raw stream: the 2-minute raw target is missed.`,
    metric: validator.metric('IteratorAge', { period: MINUTE, statistic: 'Maximum' }),
    threshold: ALARM_THRESHOLDS.validatorIteratorAgeMs,
    evaluationPeriods: 5,
  },
];

/** Firehose: records waiting too long for S3, failed deliveries, throttling and nearness to the quota, per stream. */
export const deliveryAlarms = (streams: Readonly<Record<string, IDeliveryStream>>): AlarmSpec[] =>
  Object.entries(streams).flatMap(([name, stream]): AlarmSpec[] => {
    const id = name.charAt(0).toUpperCase() + name.slice(1);
    return [
      {
        id: `${id}FirehoseFreshness`,
        runbook: 'firehose-freshness',
        summary: `The ${name} Firehose stream: records wait over ${ALARM_THRESHOLDS.firehoseFreshnessSeconds} s for S3.`,
        metric: stream.metric('DeliveryToS3.DataFreshness', { period: FIVE_MINUTES, statistic: 'Maximum' }),
        threshold: ALARM_THRESHOLDS.firehoseFreshnessSeconds,
        evaluationPeriods: 2,
      },
      {
        id: `${id}FirehoseFailures`,
        runbook: 'firehose-failures',
        summary: `The ${name} Firehose stream: deliveries to S3 are failing (it retries, then writes to errors/).`,
        metric: stream.metric('DeliveryToS3.Success', { period: FIVE_MINUTES, statistic: 'Average' }),
        threshold: ALARM_THRESHOLDS.firehoseDeliverySuccess,
        evaluationPeriods: 2,
        comparison: ComparisonOperator.LESS_THAN_THRESHOLD,
      },
      {
        id: `${id}FirehoseThrottling`,
        runbook: 'firehose-throttling',
        summary: `The ${name} Firehose stream is throttling the validator (over its Direct PUT quota): records are retried, the stream falls behind.`,
        metric: stream.metric('ThrottledRecords', { period: MINUTE, statistic: 'Sum' }),
        threshold: ALARM_THRESHOLDS.firehoseThrottledRecords,
        evaluationPeriods: 5,
        datapointsToAlarm: 3,
      },
      {
        id: `${id}FirehoseNearQuota`,
        runbook: 'firehose-throttling',
        summary: `The ${name} Firehose stream uses over ${ALARM_THRESHOLDS.firehoseQuotaPercent}% of its bytes-per-second quota: ask AWS to raise it before it throttles.`,
        metric: new MathExpression({
          label: 'percent of the bytes-per-second quota',
          expression: 'IF(limit > 0, 100 * bytes / PERIOD(bytes) / limit, 0)',
          usingMetrics: {
            bytes: stream.metric('IncomingBytes', { period: FIVE_MINUTES, statistic: 'Sum' }),
            limit: stream.metric('BytesPerSecondLimit', { period: FIVE_MINUTES, statistic: 'Minimum' }),
          },
          period: FIVE_MINUTES,
        }),
        threshold: ALARM_THRESHOLDS.firehoseQuotaPercent,
        evaluationPeriods: 3,
        datapointsToAlarm: 2,
        severity: 'ticket',
      },
    ];
  });

/** Transform: consecutive failed runs, no runs at all, and runs close to their timeout. */
export const transformAlarms = (transform: IFunction, timeout: Duration): AlarmSpec[] => [
  {
    id: 'TransformFailures',
    runbook: 'transform-failures',
    summary: 'Two consecutive transform runs failed: curated tables are going stale (15-minute target).',
    metric: transform.metricErrors({ period: FIVE_MINUTES, statistic: 'Sum' }),
    threshold: ALARM_THRESHOLDS.transformErrors,
    evaluationPeriods: 2,
  },
  {
    id: 'TransformNotRunning',
    runbook: 'transform-failures',
    summary: 'The transform has not been invoked for 15 minutes: check its schedule.',
    metric: transform.metricInvocations({ period: Duration.minutes(15), statistic: 'Sum' }),
    threshold: 1,
    evaluationPeriods: 1,
    comparison: ComparisonOperator.LESS_THAN_THRESHOLD,
    treatMissingData: TreatMissingData.BREACHING,
  },
  {
    id: 'TransformDuration',
    runbook: 'transform-duration',
    summary: `Transform runs take over ${ALARM_THRESHOLDS.transformDurationShareOfTimeout * 100}% of their ${timeout.toMinutes()}-minute timeout.`,
    metric: transform.metricDuration({ period: FIVE_MINUTES, statistic: 'Maximum' }),
    threshold: timeout.toMilliseconds() * ALARM_THRESHOLDS.transformDurationShareOfTimeout,
    evaluationPeriods: 3,
  },
];
