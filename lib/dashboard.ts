import { Duration } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  AlarmStatusWidget,
  Dashboard,
  GraphWidget,
  type IAlarm,
  type IWidget,
  Metric,
  TextWidget,
} from 'aws-cdk-lib/aws-cloudwatch';
import type { IStream } from 'aws-cdk-lib/aws-kinesis';
import type { IDeliveryStream } from 'aws-cdk-lib/aws-kinesisfirehose';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import {
  REJECT_REASON_DIMENSION,
  VALIDATOR_METRICS,
  VALIDATOR_METRICS_NAMESPACE,
  VALIDATOR_SERVICE_NAME,
} from '#adapters/aws/validator-telemetry.ts';
import type { RejectReasonCode } from '#core/contract/envelope.ts';
import { ERASURE_METRICS } from '#core/erasure/metric-names.ts';
import { DEFAULT_ERASURE_SETTINGS } from '#core/erasure/settings.ts';
import { erasureMetric } from './erasure-alarm-specs.ts';
import { type QualityWidgetsProps, qualityWidgets } from './quality-widgets.ts';

export interface PipelineDashboardProps {
  readonly dashboardName: string;
  readonly api: HttpApi;
  readonly collector: IFunction;
  readonly stream: IStream;
  readonly validator: IFunction;
  readonly validatorFailureQueue: IQueue;
  readonly deliveryStreams: Readonly<Record<string, IDeliveryStream>>;
  /** Scheduled jobs by name (`transform`, `quality`, `erasure`). */
  readonly jobs: Readonly<Record<string, IFunction>>;
  readonly alarms: readonly IAlarm[];
  /** Show the erasure requests (the erasure job is on). @default false */
  readonly erasure?: boolean;
  /** @default - no quality row (the quality job is off) */
  readonly quality?: QualityWidgetsProps;
}

const PERIOD = Duration.minutes(1);
const WIDE = 12;
const NARROW = 8;

/**
 * One CloudWatch dashboard following an event down the pipeline: alarm states first, then the
 * collector, the stream and validator, Firehose, the scheduled warehouse jobs, and data quality.
 */
export class PipelineDashboard extends Construct {
  public readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: PipelineDashboardProps) {
    super(scope, id);
    this.dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: props.dashboardName,
      defaultInterval: Duration.hours(3),
    });
    this.dashboard.addWidgets(
      new TextWidget({
        markdown:
          '# Tally pipeline health\nCollector -> Kinesis -> validator -> Firehose -> S3 -> Snowpipe -> transform -> quality. ' +
          'Each alarm description links its runbook (docs/runbooks).',
        width: 24,
        height: 2,
      }),
    );
    this.dashboard.addWidgets(
      new AlarmStatusWidget({ title: 'Alarms', alarms: [...props.alarms], width: 24, height: 4 }),
    );
    this.dashboard.addWidgets(...collectorWidgets(props));
    this.dashboard.addWidgets(...validatorWidgets(props));
    this.dashboard.addWidgets(...deliveryWidgets(props));
    this.dashboard.addWidgets(...jobWidgets(props));
    const dataWidgets = [
      ...(props.quality !== undefined ? qualityWidgets(props.quality) : []),
      ...(props.erasure === true ? [erasureWidget()] : []),
    ];
    if (dataWidgets.length > 0) this.dashboard.addWidgets(...dataWidgets);
  }
}

const collectorWidgets = ({ api, collector }: PipelineDashboardProps): IWidget[] => [
  new GraphWidget({
    title: 'Collector requests and errors',
    width: NARROW,
    left: [
      api.metricCount({ period: PERIOD, statistic: 'Sum', label: 'requests' }),
      api.metricClientError({ period: PERIOD, statistic: 'Sum', label: '4xx' }),
      api.metricServerError({ period: PERIOD, statistic: 'Sum', label: '5xx' }),
    ],
  }),
  new GraphWidget({
    title: 'Collector latency (ms)',
    width: NARROW,
    left: [
      api.metricLatency({ period: PERIOD, statistic: 'p50', label: 'p50' }),
      api.metricLatency({ period: PERIOD, statistic: 'p99', label: 'p99' }),
    ],
  }),
  new GraphWidget({
    title: 'Collector Lambda',
    width: NARROW,
    left: [
      collector.metricErrors({ period: PERIOD, statistic: 'Sum', label: 'errors' }),
      collector.metricThrottles({ period: PERIOD, statistic: 'Sum', label: 'throttles' }),
    ],
    right: [
      collector.metric('ConcurrentExecutions', {
        period: PERIOD,
        statistic: 'Maximum',
        label: 'concurrency',
      }),
    ],
  }),
];

const validatorMetric = (name: string, label: string, extra: Record<string, string> = {}) =>
  new Metric({
    namespace: VALIDATOR_METRICS_NAMESPACE,
    metricName: name,
    dimensionsMap: { service: VALIDATOR_SERVICE_NAME, ...extra },
    statistic: 'Sum',
    period: PERIOD,
    label,
  });

const validatorWidgets = ({
  stream,
  validator,
  validatorFailureQueue,
}: PipelineDashboardProps): IWidget[] => [
  new GraphWidget({
    title: 'Raw stream in, validator lag',
    width: NARROW,
    left: [stream.metricIncomingRecords({ period: PERIOD, statistic: 'Sum', label: 'records in' })],
    right: [
      validator.metric('IteratorAge', { period: PERIOD, statistic: 'Maximum', label: 'iterator age (ms)' }),
    ],
  }),
  new GraphWidget({
    title: 'Validated and rejected events',
    width: NARROW,
    left: [
      validatorMetric(VALIDATOR_METRICS.validated, 'validated'),
      validatorMetric(VALIDATOR_METRICS.rejected, 'rejected'),
    ],
    right: [
      validatorMetric(VALIDATOR_METRICS.rejected, 'schema violations', {
        [REJECT_REASON_DIMENSION]: 'SCHEMA_VIOLATION' satisfies RejectReasonCode,
      }),
    ],
  }),
  new GraphWidget({
    title: 'Validator failures',
    width: NARROW,
    left: [
      validatorMetric(VALIDATOR_METRICS.sinkFailures, 'sink failures'),
      validatorMetric(VALIDATOR_METRICS.validatorErrors, 'validator errors'),
      validator.metricErrors({ period: PERIOD, statistic: 'Sum', label: 'invocation errors' }),
    ],
    right: [
      validatorFailureQueue.metricApproximateNumberOfMessagesVisible({
        period: PERIOD,
        statistic: 'Maximum',
        label: 'abandoned batches',
      }),
    ],
  }),
];

const deliveryWidgets = ({ deliveryStreams }: PipelineDashboardProps): IWidget[] => {
  const streams = Object.entries(deliveryStreams);
  return [
    new GraphWidget({
      title: 'Firehose records in',
      width: NARROW,
      left: streams.map(([name, s]) =>
        s.metricIncomingRecords({ period: PERIOD, statistic: 'Sum', label: name }),
      ),
    }),
    new GraphWidget({
      title: 'Firehose data freshness (s)',
      width: NARROW,
      left: streams.map(([name, s]) =>
        s.metric('DeliveryToS3.DataFreshness', { period: PERIOD, statistic: 'Maximum', label: name }),
      ),
    }),
    new GraphWidget({
      title: 'Firehose S3 delivery success',
      width: NARROW,
      left: streams.map(([name, s]) =>
        s.metric('DeliveryToS3.Success', { period: PERIOD, statistic: 'Average', label: name }),
      ),
    }),
  ];
};

const jobWidgets = ({ jobs }: PipelineDashboardProps): IWidget[] => {
  const entries = Object.entries(jobs);
  return [
    new GraphWidget({
      title: 'Scheduled jobs: runs and failures',
      width: WIDE,
      left: entries.map(([name, fn]) =>
        fn.metricInvocations({ period: Duration.minutes(5), statistic: 'Sum', label: `${name} runs` }),
      ),
      right: entries.map(([name, fn]) =>
        fn.metricErrors({ period: Duration.minutes(5), statistic: 'Sum', label: `${name} errors` }),
      ),
    }),
    new GraphWidget({
      title: 'Scheduled jobs: duration (ms)',
      width: WIDE,
      left: entries.map(([name, fn]) =>
        fn.metricDuration({ period: Duration.minutes(5), statistic: 'Maximum', label: name }),
      ),
    }),
  ];
};

/** GDPR erasure requests as the daily run last counted them. */
const erasureWidget = (): IWidget =>
  new GraphWidget({
    title: `Erasure requests (open, overdue at ${DEFAULT_ERASURE_SETTINGS.overdueDays} days, past the 30-day deadline)`,
    width: WIDE,
    left: [
      erasureMetric(ERASURE_METRICS.open, Duration.hours(1), 'open'),
      erasureMetric(ERASURE_METRICS.overdue, Duration.hours(1), 'overdue'),
      erasureMetric(ERASURE_METRICS.pastDue, Duration.hours(1), 'past due'),
    ],
    leftYAxis: { min: 0 },
  });
