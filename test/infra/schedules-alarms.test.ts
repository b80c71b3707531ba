import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { ERASURE_METRICS, ERASURE_METRICS_NAMESPACE, ERASURE_SERVICE } from '#core/erasure/metric-names.ts';
import {
  CHECK_DIMENSION,
  CHECK_ERRORS_METRIC,
  CHECK_FAILURES_METRIC,
  QUALITY_METRICS_NAMESPACE,
  QUALITY_SERVICE,
} from '#core/quality/metric-names.ts';
import { declaredChecks } from '#core/quality/registry.ts';
import { ALARM_THRESHOLDS } from '../../lib/pipeline-alarm-specs.ts';
import { REPO_ROOT } from '../../lib/project-function.ts';
import { QUALITY_SERVICE_DIMENSION } from '../../lib/quality-metrics.ts';
import { FULL_CONTEXT, synthesize } from './synth.ts';

let template: Template;
beforeAll(() => {
  ({ template } = synthesize());
});

/** The handshake done, both topics subscribed, the quality job off: one synth for every variant test. */
let variantTemplate: Template | undefined;
const variant = (): Template => {
  variantTemplate ??= synthesize({
    ...FULL_CONTEXT,
    'tally:ticketEmail': 'data-team@example.com',
    'tally:qualityEnabled': false,
  }).template;
  return variantTemplate;
};

const PAGE_TOPIC = { Ref: Match.stringLikeRegexp('^AlarmsTopic') };
const TICKET_TOPIC = { Ref: Match.stringLikeRegexp('^AlarmsTicketTopic') };
const qualityDimensions = (check: string) => [
  { Name: CHECK_DIMENSION, Value: check },
  { Name: QUALITY_SERVICE_DIMENSION, Value: QUALITY_SERVICE },
];

const alarm = (name: string) => {
  const found = Object.values(
    template.findResources('AWS::CloudWatch::Alarm', { Properties: { AlarmName: `tally-dev-${name}` } }),
  );
  expect(found).toHaveLength(1);
  return found[0]!.Properties;
};

describe('schedules', () => {
  it('runs the transform every 5 minutes through the scheduler role', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      Name: 'tally-dev-transform',
      ScheduleExpression: 'rate(5 minutes)',
      State: 'ENABLED',
      Target: Match.objectLike({
        Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^TransformHandler'), 'Arn'] },
        RoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^SchedulesInvokeRole'), 'Arn'] },
        RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 300 },
      }),
    });
  });

  it('runs the quality checks every 15 minutes', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      Name: 'tally-dev-quality',
      ScheduleExpression: 'rate(15 minutes)',
      Target: Match.objectLike({ Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^QualityHandler'), 'Arn'] } }),
    });
  });

  it('runs the erasure daily at 03:00 UTC, retried by Scheduler for an hour', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      Name: 'tally-dev-erasure',
      ScheduleExpression: 'cron(0 3 * * ? *)',
      Target: Match.objectLike({
        Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ErasureHandler'), 'Arn'] },
        RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 3600 },
      }),
    });
  });

  it('schedules no quality run, and creates no quality alarm, when the quality flag is off', () => {
    const withoutQuality = variant();

    expect(
      withoutQuality.findResources('AWS::Scheduler::Schedule', { Properties: { Name: 'tally-dev-quality' } }),
    ).toEqual({});
    expect(
      Object.values(withoutQuality.findResources('AWS::CloudWatch::Alarm')).filter((a) =>
        String(a.Properties.AlarmName).startsWith('tally-dev-Quality'),
      ),
    ).toEqual([]);
  });
});

describe('alarms', () => {
  it('link their runbook in the description', () => {
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm'));

    expect(alarms.length).toBeGreaterThanOrEqual(12);
    for (const a of alarms)
      expect(a.Properties.AlarmDescription).toMatch(/Runbook: docs\/runbooks\/[a-z0-9-]+\.md$/);
  });

  it('notify one topic, the page or the ticket topic, on ALARM and on OK', () => {
    for (const a of Object.values(template.findResources('AWS::CloudWatch::Alarm'))) {
      expect(a.Properties.AlarmActions).toEqual([
        { Ref: expect.stringMatching(/^Alarms(Ticket)?Topic[0-9A-F]{8}$/) },
      ]);
      expect(a.Properties.OKActions).toEqual(a.Properties.AlarmActions);
    }
  });

  it('page for everything but warn-severity quality checks and Firehose streams nearing their quota', () => {
    const ticketed = Object.values(template.findResources('AWS::CloudWatch::Alarm'))
      .filter((a) => a.Properties.AlarmActions[0].Ref.startsWith('AlarmsTicketTopic'))
      .map((a) => a.Properties.Dimensions?.[0]?.Value ?? a.Properties.AlarmName);

    expect(ticketed.sort()).toEqual(
      [
        ...declaredChecks()
          .filter((c) => c.severity === 'warn')
          .map((c) => c.name),
        'tally-dev-EventsFirehoseNearQuota',
        'tally-dev-RejectedFirehoseNearQuota',
      ].sort(),
    );
  });

  it('page when over 1% of collector requests answer 5xx in 3 of 5 minutes', () => {
    const props = alarm('Collector5xx');

    expect(props).toMatchObject({
      Threshold: ALARM_THRESHOLDS.collector5xxPercent,
      EvaluationPeriods: 5,
      DatapointsToAlarm: 3,
      ComparisonOperator: 'GreaterThanThreshold',
    });
    expect(props.AlarmDescription).toContain('docs/runbooks/collector-5xx.md');
    expect(props.Metrics).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ Expression: 'IF(requests > 0, 100 * errors / requests, 0)' }),
      ]),
    );
  });

  it('page when collector p99 latency stays over 1 s', () => {
    expect(alarm('CollectorLatency')).toMatchObject({
      MetricName: 'Latency',
      ExtendedStatistic: 'p99',
      Threshold: 1000,
      EvaluationPeriods: 3,
    });
  });

  it('page when the validator is a minute behind the stream for 5 minutes', () => {
    expect(alarm('ValidatorIteratorAge')).toMatchObject({
      MetricName: 'IteratorAge',
      Statistic: 'Maximum',
      Threshold: 60_000,
      Period: 60,
      EvaluationPeriods: 5,
    });
  });

  it('page as soon as one batch lands in the validator failure queue', () => {
    expect(alarm('ValidatorAbandonedBatches')).toMatchObject({
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
  });

  it('page on failed validator records from its metrics and its invocation errors', () => {
    const metrics: { Id: string; MetricStat?: { Metric: { MetricName: string } } }[] =
      alarm('ValidatorErrors').Metrics;

    expect(metrics.flatMap((m) => (m.MetricStat ? [m.MetricStat.Metric.MetricName] : [])).sort()).toEqual([
      'Errors',
      'SinkFailures',
      'ValidatorErrors',
    ]);
  });

  it.each(['Events', 'Rejected'])(
    'page when %s Firehose data is over 5 minutes old or deliveries fail',
    (name) => {
      expect(alarm(`${name}FirehoseFreshness`)).toMatchObject({
        MetricName: 'DeliveryToS3.DataFreshness',
        Threshold: 300,
      });
      expect(alarm(`${name}FirehoseFailures`)).toMatchObject({
        MetricName: 'DeliveryToS3.Success',
        Threshold: 1,
        ComparisonOperator: 'LessThanThreshold',
      });
    },
  );

  it('page when two transform runs in a row fail, or none runs for 15 minutes', () => {
    expect(alarm('TransformFailures')).toMatchObject({
      MetricName: 'Errors',
      Threshold: 1,
      EvaluationPeriods: 2,
    });
    expect(alarm('TransformNotRunning')).toMatchObject({
      MetricName: 'Invocations',
      ComparisonOperator: 'LessThanThreshold',
      TreatMissingData: 'breaching',
    });
  });

  it('page when transform runs take over 80% of their 5-minute timeout', () => {
    expect(alarm('TransformDuration')).toMatchObject({ MetricName: 'Duration', Threshold: 240_000 });
  });

  it('subscribe the configured emails: on-call to the page topic, the ticket inbox to the ticket topic', () => {
    variant().hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'oncall@example.com',
      TopicArn: PAGE_TOPIC,
    });
    variant().hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'data-team@example.com',
      TopicArn: TICKET_TOPIC,
    });
  });

  it('link runbooks that exist', () => {
    const runbooks = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map(
      (a) => /Runbook: (\S+)$/.exec(a.Properties.AlarmDescription)![1]!,
    );

    for (const runbook of new Set(runbooks))
      expect({ runbook, exists: existsSync(join(REPO_ROOT, runbook)) }).toEqual({ runbook, exists: true });
  });

  it('never watch a Tally metric without the service dimension its emitter adds', () => {
    const tallyAlarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).filter(
      (a) => a.Properties.Namespace === QUALITY_METRICS_NAMESPACE,
    );

    expect(tallyAlarms.length).toBeGreaterThan(0);
    for (const a of tallyAlarms) {
      expect(a.Properties.Dimensions).toContainEqual({
        Name: QUALITY_SERVICE_DIMENSION,
        Value: expect.any(String),
      });
    }
  });
});

describe('erasure alarms', () => {
  it("page when requests are open 15 days after receipt, keeping the last run's verdict between runs", () => {
    expect(alarm('ErasureOverdue')).toMatchObject({
      Namespace: ERASURE_METRICS_NAMESPACE,
      MetricName: ERASURE_METRICS.overdue,
      Dimensions: [{ Name: 'service', Value: ERASURE_SERVICE }],
      Statistic: 'Maximum',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'ignore',
      AlarmDescription: expect.stringMatching(/Runbook: docs\/runbooks\/erasure-overdue\.md$/),
    });
  });

  it('page when the last erasure run failed, or none ran for two days', () => {
    expect(alarm('ErasureFailures')).toMatchObject({
      MetricName: 'Errors',
      Threshold: 1,
      TreatMissingData: 'ignore',
    });
    expect(alarm('ErasureNotRunning')).toMatchObject({
      MetricName: 'Invocations',
      Period: 86_400,
      EvaluationPeriods: 2,
      ComparisonOperator: 'LessThanThreshold',
      TreatMissingData: 'breaching',
    });
  });
});

describe('quality alarms', () => {
  const checks = declaredChecks();

  it.each(checks.filter((c) => c.severity === 'error').map((c) => c.name))(
    'page when error check %s fails, or gives no verdict for two runs (missing data breaches)',
    (check) => {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: QUALITY_METRICS_NAMESPACE,
        MetricName: CHECK_FAILURES_METRIC,
        Dimensions: qualityDimensions(check),
        Statistic: 'Maximum',
        Period: 2 * 15 * 60,
        EvaluationPeriods: 1,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'breaching',
        AlarmActions: [PAGE_TOPIC],
        AlarmDescription: Match.stringLikeRegexp(`Runbook: docs/runbooks/${check}\\.md$`),
      });
    },
  );

  it.each(checks.filter((c) => c.severity === 'warn').map((c) => c.name))(
    'open a ticket, not a page, when warn check %s fails in 3 of 4 runs',
    (check) => {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: CHECK_FAILURES_METRIC,
        Dimensions: qualityDimensions(check),
        Period: 15 * 60,
        EvaluationPeriods: 4,
        DatapointsToAlarm: 3,
        Threshold: 1,
        TreatMissingData: 'notBreaching',
        AlarmActions: [TICKET_TOPIC],
        OKActions: [TICKET_TOPIC],
        AlarmDescription: Match.stringLikeRegexp(`Runbook: docs/runbooks/${check}\\.md$`),
      });
    },
  );

  it('page when any check could not run in 2 of the last 3 runs, across checks in one query', () => {
    expect(alarm('QualityCheckErrors')).toMatchObject({
      Metrics: [
        expect.objectContaining({
          Expression: `SELECT MAX(${CHECK_ERRORS_METRIC}) FROM SCHEMA(${QUALITY_METRICS_NAMESPACE}, service, ${CHECK_DIMENSION}) WHERE service = '${QUALITY_SERVICE}'`,
          Period: 15 * 60,
          ReturnData: true,
        }),
      ],
      EvaluationPeriods: 3,
      DatapointsToAlarm: 2,
      Threshold: 1,
      TreatMissingData: 'notBreaching',
      AlarmDescription: expect.stringMatching(/Runbook: docs\/runbooks\/quality-check-errors\.md$/),
    });
  });

  it('replace the Snowpipe freshness alarm with the freshness-raw check alarm', () => {
    expect(
      template.findResources('AWS::CloudWatch::Alarm', { Properties: { MetricName: 'RawFreshnessSeconds' } }),
    ).toEqual({});
  });
});

describe('dashboard', () => {
  it('shows every alarm and the pipeline stages', () => {
    const [dashboard] = Object.values(template.findResources('AWS::CloudWatch::Dashboard'));
    const body = JSON.stringify(dashboard!.Properties.DashboardBody);

    for (const title of [
      'Alarms',
      'Collector latency',
      'Validated and rejected events',
      'Firehose data freshness',
      'Quality: failing buckets per check',
      'Quality: checks that could not run',
      'Quality: freshness-raw (s)',
      'Quality: freshness-curated (s)',
      'Erasure requests',
    ]) {
      expect(body).toContain(title);
    }
  });
});
