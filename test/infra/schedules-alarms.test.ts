import { beforeAll, describe, expect, it } from '@jest/globals';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { ALARM_THRESHOLDS } from '../../lib/pipeline-alarm-specs.ts';
import { FULL_CONTEXT, synthesize } from './synth.ts';

let template: Template;
beforeAll(() => {
  ({ template } = synthesize());
});

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

  it('schedules neither quality nor erasure while their flags are off', () => {
    template.resourceCountIs('AWS::Scheduler::Schedule', 1);
  });

  it('runs quality every 15 minutes and erasure daily when their flags are on', () => {
    // Their handlers land later; until then the stack refuses the flags with the missing file's name.
    const withJobs = () =>
      synthesize({ 'tally:qualityEnabled': true, 'tally:erasureEnabled': true }).template;
    let jobs: Template;
    try {
      jobs = withJobs();
    } catch (error) {
      expect(String(error)).toMatch(/handler lambdas\/handlers\/(quality|erasure)\.ts does not exist/);
      return;
    }
    jobs.hasResourceProperties('AWS::Scheduler::Schedule', {
      Name: 'tally-dev-quality',
      ScheduleExpression: 'rate(15 minutes)',
    });
    jobs.hasResourceProperties('AWS::Scheduler::Schedule', {
      Name: 'tally-dev-erasure',
      ScheduleExpression: 'cron(0 3 * * ? *)',
    });
  });
});

describe('alarms', () => {
  it('link their runbook in the description', () => {
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm'));

    expect(alarms.length).toBeGreaterThanOrEqual(12);
    for (const a of alarms)
      expect(a.Properties.AlarmDescription).toMatch(/Runbook: docs\/runbooks\/[a-z0-9-]+\.md$/);
  });

  it('notify the alarm topic on ALARM and on OK', () => {
    for (const a of Object.values(template.findResources('AWS::CloudWatch::Alarm'))) {
      expect(a.Properties.AlarmActions).toEqual([{ Ref: expect.stringMatching(/^AlarmsTopic/) }]);
      expect(a.Properties.OKActions).toEqual(a.Properties.AlarmActions);
    }
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

  it('subscribe the configured email to the topic', () => {
    const full = synthesize(FULL_CONTEXT).template;

    full.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'oncall@example.com',
    });
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
    ]) {
      expect(body).toContain(title);
    }
  });
});
