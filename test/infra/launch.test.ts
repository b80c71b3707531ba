import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { COLLECTOR_CORS_ALLOW_HEADERS } from '#adapters/aws/handlers/collector-http-handler.ts';
import { firehoseMiBPerSecondForPeak, shardsForPeak } from '../../lib/capacity.ts';
import { ALARM_THRESHOLDS } from '../../lib/pipeline-alarm-specs.ts';
import { REPO_ROOT } from '../../lib/project-function.ts';
import { FULL_CONTEXT, synthesize } from './synth.ts';

/** A prod stage with its handshake stored, as cdk.json's `tally:stages.prod` block would hold it. */
const PROD = { ...FULL_CONTEXT, 'tally:stage': 'prod' };

let dev: Template;
let prod: Template;
beforeAll(() => {
  dev = synthesize(FULL_CONTEXT).template;
  prod = synthesize(PROD).template;
});

/** One more synth for the settings the specs change: a smaller peak and one allowed origin. */
let configuredTemplate: Template | undefined;
const configured = (): Template =>
  (configuredTemplate ??= synthesize({
    ...PROD,
    'tally:peakEventsPerSecond': 2000,
    'tally:eventBytes': 800,
    'tally:corsAllowedOrigins': 'https://app.example.com',
  }).template);

const alarmNamed = (template: Template, name: string) => {
  const found = Object.values(
    template.findResources('AWS::CloudWatch::Alarm', { Properties: { AlarmName: name } }),
  );
  expect(found).toHaveLength(1);
  return found[0]!.Properties;
};

describe('launch capacity (prod stage)', () => {
  it('keeps the raw stream 7 days, provisioned with the shards the configured peak needs', () => {
    const [stream] = Object.values(prod.findResources('AWS::Kinesis::Stream'));

    expect(stream!.Properties.RetentionPeriodHours).toBeGreaterThanOrEqual(168);
    expect(stream!.Properties).toMatchObject({
      StreamModeDetails: { StreamMode: 'PROVISIONED' },
      ShardCount: shardsForPeak({ eventsPerSecond: 12_000, eventBytes: 1500 }),
    });
    expect(stream!.Properties.ShardCount).toBe(26);
  });

  it('sizes the stream from tally:peakEventsPerSecond and tally:eventBytes', () => {
    configured().hasResourceProperties('AWS::Kinesis::Stream', {
      ShardCount: shardsForPeak({ eventsPerSecond: 2000, eventBytes: 800 }),
    });
  });

  it('reserves concurrency for the collector, which also caps it', () => {
    prod.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('^Tally collector'),
      ReservedConcurrentExecutions: 600,
    });
    dev.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('^Tally collector'),
      ReservedConcurrentExecutions: Match.absent(),
    });
  });

  it('needs a Firehose quota of 29 MiB/s for the reference peak', () => {
    expect(firehoseMiBPerSecondForPeak({ eventsPerSecond: 12_000, eventBytes: 1500 })).toBe(29);
  });
});

describe('Firehose buffering', () => {
  it('delivers events files at most 30 s after their first line', () => {
    const events = Object.values(dev.findResources('AWS::KinesisFirehose::DeliveryStream')).find(
      (s) => s.Properties.DeliveryStreamName === 'tally-dev-events',
    );

    expect(
      events!.Properties.ExtendedS3DestinationConfiguration.BufferingHints.IntervalInSeconds,
    ).toBeLessThanOrEqual(30);
  });
});

describe('throttling alarms', () => {
  it.each(['Events', 'Rejected'])('page when the %s Firehose stream throttles in 3 of 5 minutes', (name) => {
    expect(alarmNamed(dev, `tally-dev-${name}FirehoseThrottling`)).toMatchObject({
      Namespace: 'AWS/Firehose',
      MetricName: 'ThrottledRecords',
      Statistic: 'Sum',
      Period: 60,
      Threshold: ALARM_THRESHOLDS.firehoseThrottledRecords,
      EvaluationPeriods: 5,
      DatapointsToAlarm: 3,
      AlarmActions: [{ Ref: expect.stringMatching('^AlarmsTopic') }],
    });
  });

  it.each(['Events', 'Rejected'])(
    'open a ticket when the %s Firehose stream uses over 80% of its bytes quota',
    (name) => {
      const props = alarmNamed(dev, `tally-dev-${name}FirehoseNearQuota`);

      expect(props.Threshold).toBe(80);
      expect(props.AlarmActions).toEqual([{ Ref: expect.stringMatching('^AlarmsTicketTopic') }]);
      expect(JSON.stringify(props.Metrics)).toContain('BytesPerSecondLimit');
    },
  );

  it('page when the raw stream refuses writes for throughput in 3 of 5 minutes', () => {
    expect(alarmNamed(dev, 'tally-dev-RawStreamWriteThrottling')).toMatchObject({
      Namespace: 'AWS/Kinesis',
      MetricName: 'WriteProvisionedThroughputExceeded',
      Dimensions: [{ Name: 'StreamName', Value: { Ref: expect.stringMatching('^RawStream') } }],
      Statistic: 'Sum',
      EvaluationPeriods: 5,
      DatapointsToAlarm: 3,
    });
  });

  it("page when failed batches have waited half the stream's retention, well before it drops them", () => {
    expect(alarmNamed(prod, 'tally-prod-ValidatorReplayDeadline')).toMatchObject({
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateAgeOfOldestMessage',
      Statistic: 'Maximum',
      Threshold: 84 * 3600,
    });
  });
});

describe('Snowpipe load errors and the SLA', () => {
  // Snowpipe's error notifications never fire under ON_ERROR = CONTINUE (docs/DEPLOY.md, Snowpipe load
  // errors): the unloadable-lines check is what pages on a line Snowpipe could not load.
  it.each([
    ['QualityUnloadableLines', 'unloadable-lines'],
    ['QualityFreshnessP95', 'freshness-p95'],
  ])('%s pages, linking its runbook, which exists', (alarm, runbook) => {
    const props = alarmNamed(dev, `tally-dev-${alarm}`);

    expect(props.AlarmActions).toEqual([{ Ref: expect.stringMatching('^AlarmsTopic') }]);
    expect(props.AlarmDescription).toContain(`${runbook}.md`);
    expect(existsSync(join(REPO_ROOT, 'docs', 'runbooks', `${runbook}.md`))).toBe(true);
  });
});

describe('collector edge', () => {
  it('answers CORS preflight in the HTTP API, with the collector headers', () => {
    dev.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      CorsConfiguration: {
        AllowOrigins: ['*'],
        AllowMethods: ['GET', 'POST', 'OPTIONS'],
        AllowHeaders: COLLECTOR_CORS_ALLOW_HEADERS,
        ExposeHeaders: ['Retry-After'],
        MaxAge: 600,
        AllowCredentials: false,
      },
    });
  });

  it('declares no OPTIONS route: a preflight never invokes the collector', () => {
    const routeKeys = Object.values(dev.findResources('AWS::ApiGatewayV2::Route')).map(
      (r) => r.Properties.RouteKey as string,
    );

    expect(routeKeys.length).toBeGreaterThan(0);
    expect(routeKeys.filter((key) => key.startsWith('OPTIONS'))).toEqual([]);
  });

  it('takes its allowed origins from config, for the API and the function alike', () => {
    const origins = configured();

    origins.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      CorsConfiguration: Match.objectLike({ AllowOrigins: ['https://app.example.com'] }),
    });
    origins.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({ TALLY_COLLECTOR_CORS_ALLOWED_ORIGINS: 'https://app.example.com' }),
      },
    });
  });

  it('lets API Gateway invoke the collector through at most 2 permissions, whatever the route count', () => {
    const permissions = Object.values(dev.findResources('AWS::Lambda::Permission')).filter((p) =>
      JSON.stringify(p.Properties.FunctionName).includes('CollectorHandler'),
    );

    expect(permissions.length).toBeGreaterThanOrEqual(1);
    expect(permissions.length).toBeLessThanOrEqual(2);
    for (const p of permissions) expect(p.Properties.Principal).toBe('apigateway.amazonaws.com');
  });
});

describe('service trust', () => {
  const trustOf = (rolePrefix: string) => {
    const role = Object.entries(dev.findResources('AWS::IAM::Role')).find(([id]) =>
      id.startsWith(rolePrefix),
    );
    expect(role).toBeDefined();
    return role![1].Properties.AssumeRolePolicyDocument.Statement;
  };

  it.each([
    ['DeliveryEventsRole', 'firehose.amazonaws.com'],
    ['DeliveryRejectedRole', 'firehose.amazonaws.com'],
    ['SchedulesInvokeRole', 'scheduler.amazonaws.com'],
  ])('%s may be assumed by %s only on behalf of this account', (role, service) => {
    expect(trustOf(role)).toEqual([
      expect.objectContaining({
        Principal: { Service: service },
        Condition: expect.objectContaining({ StringEquals: { 'aws:SourceAccount': '123456789012' } }),
      }),
    ]);
  });
});

describe('replay job', () => {
  const replayFunction = () => {
    const found = Object.entries(
      dev.findResources('AWS::Lambda::Function', {
        Properties: { Description: Match.stringLikeRegexp('^Tally replay') },
      }),
    );
    expect(found).toHaveLength(1);
    return found[0]!;
  };
  const policyOf = (functionId: string) => {
    const roleId = Object.keys(dev.findResources('AWS::IAM::Role')).find((id) =>
      id.startsWith(functionId.replace(/Function[0-9A-F]{8}$/, '')),
    );
    const policies = Object.values(dev.findResources('AWS::IAM::Policy')).filter((p) =>
      JSON.stringify(p.Properties.Roles).includes(roleId ?? 'none'),
    );
    return JSON.stringify(policies.map((p) => p.Properties.PolicyDocument.Statement));
  };

  it('runs one at a time for up to 15 minutes, so two replays never race for the failure queue', () => {
    const [, fn] = replayFunction();
    expect(fn.Properties).toMatchObject({ ReservedConcurrentExecutions: 1, Timeout: 900 });
  });

  it('may read stream ranges, take messages off the failure queue and put records on both delivery streams', () => {
    const [id] = replayFunction();
    const statements = policyOf(id);
    for (const action of [
      'kinesis:GetShardIterator',
      'kinesis:GetRecords',
      'sqs:ReceiveMessage',
      'sqs:DeleteMessage',
      'firehose:PutRecordBatch',
    ]) {
      expect(statements).toContain(action);
    }
  });

  it('is named in the stack outputs, to invoke by hand', () => {
    expect(Object.keys(dev.toJSON().Outputs)).toContain('ReplayFunctionName');
  });
});

describe('raw bucket housekeeping', () => {
  it('removes delete markers left alone once their versions expired, in both buckets', () => {
    const buckets = Object.values(dev.findResources('AWS::S3::Bucket'));

    expect(buckets).toHaveLength(2);
    for (const bucket of buckets) {
      expect(bucket.Properties.LifecycleConfiguration.Rules).toContainEqual({
        Id: 'remove-expired-delete-markers',
        ExpiredObjectDeleteMarker: true,
        Status: 'Enabled',
      });
    }
  });
});

describe('fixed names and teardown', () => {
  const deletionPolicy = (type: string) =>
    Object.values(dev.toJSON().Resources as Record<string, { Type: string; DeletionPolicy?: string }>)
      .filter((r) => r.Type === type)
      .map((r) => r.DeletionPolicy ?? 'Delete');

  it('deletes the fixed-name stream and schedule group with the stack, so a redeploy can create them again', () => {
    expect(deletionPolicy('AWS::Kinesis::Stream')).toEqual(['Delete']);
    expect(deletionPolicy('AWS::Scheduler::ScheduleGroup')).toEqual(['Delete']);
  });

  it('keeps the key-pair secret and the buckets (docs/DEPLOY.md says how to redeploy over them)', () => {
    expect(deletionPolicy('AWS::SecretsManager::Secret')).toEqual(['Retain']);
    expect(deletionPolicy('AWS::S3::Bucket')).toEqual(['Retain', 'Retain']);
  });
});

describe('cdk synth of a stage without its handshake values', () => {
  /** bin/app.ts as `cdk synth` runs it: cdk.json's context plus `-c` values, in CDK_CONTEXT_JSON. */
  const synthApp = (context: Record<string, unknown>) => {
    const cdkJson = JSON.parse(readFileSync(join(REPO_ROOT, 'cdk.json'), 'utf8')).context;
    return spawnSync(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'bin', 'app.ts')], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      timeout: 120_000,
      env: {
        ...process.env,
        CDK_CONTEXT_JSON: JSON.stringify({ ...cdkJson, 'aws:cdk:bundling-stacks': [], ...context }),
        CDK_OUTDIR: join(REPO_ROOT, 'cdk.out', `launch-test-${process.pid}`),
      },
    });
  };

  it('fails for prod, naming every missing value and the fix', () => {
    const result = synthApp({ 'tally:stage': 'prod' });

    expect(result.status).toBe(1);
    expect(result.stderr).toContain(
      'tally:stages.prod: the Snowflake handshake values snowflakeIamUserArn, snowflakeExternalId, snowpipeQueueArn are missing',
    );
    expect(result.stderr).toContain('-c tally:snowflakeHandshake=pending');
  }, 150_000);
});
