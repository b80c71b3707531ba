import { beforeAll, describe, expect, it } from '@jest/globals';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { SNOWFLAKE_ENV } from '#adapters/snowflake/config.ts';
import { COLLECTOR_ENV } from '#core/collector/config.ts';
import { COLLECTOR_ROUTES } from '#core/collector/routes.ts';
import { ASSET_ENV } from '#core/config/asset-env.ts';
import { ERASURE_STAGING_PREFIX } from '#core/contract/bucket-layout.ts';
import { ERASURE_ENV } from '#core/erasure/config.ts';
import { VALIDATOR_ENV } from '#core/validator/config.ts';
import { bundledAssetDir } from '../../lib/project-function.ts';
import { STACK_OUTPUTS } from '../../lib/tally-stack.ts';
import { synthesize } from './synth.ts';

let template: Template;
beforeAll(() => {
  ({ template } = synthesize({ 'tally:build': 'abc1234' }));
});

type Statement = { Action: string | string[]; Resource: unknown; Effect: string };
const statements = (): Statement[] =>
  Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
    (p) => p.Properties.PolicyDocument.Statement,
  );
const actionsOf = (s: Statement) => (Array.isArray(s.Action) ? s.Action : [s.Action]);

describe('every Lambda', () => {
  it('runs Node.js 22 on arm64 with active tracing and source maps', () => {
    const functions = Object.values(template.findResources('AWS::Lambda::Function'));

    // collector, validator, transform, quality, erasure and its object worker, replay
    expect(functions).toHaveLength(7);
    for (const fn of functions) {
      expect(fn.Properties).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        TracingConfig: { Mode: 'Active' },
        Environment: { Variables: expect.objectContaining({ NODE_OPTIONS: '--enable-source-maps' }) },
      });
    }
  });

  it('logs to its own log group with the configured retention', () => {
    const groups = Object.values(template.findResources('AWS::Logs::LogGroup'));

    expect(groups.length).toBeGreaterThanOrEqual(3);
    for (const group of groups) expect(group.Properties.RetentionInDays).toBe(30);
  });

  it('has no AWS managed policy attached', () => {
    for (const role of Object.values(template.findResources('AWS::IAM::Role'))) {
      expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    }
  });

  it('is granted nothing on * but X-Ray tracing (and the quality job its metric reads, below)', () => {
    const onStar = statements().filter(
      (s) => s.Resource === '*' && (s as Statement & { Sid?: string }).Sid !== 'ReadCollectorAcceptedEvents',
    );

    expect(onStar.length).toBeGreaterThan(0);
    for (const s of onStar)
      expect(actionsOf(s).sort()).toEqual(['xray:PutTelemetryRecords', 'xray:PutTraceSegments']);
  });

  it('is granted no wildcard action', () => {
    const wildcards = statements()
      .flatMap(actionsOf)
      .filter((a) => a.includes('*'));

    expect(wildcards).toEqual([]);
  });
});

describe('collector', () => {
  it('declares every collector route, and no OPTIONS one (the HTTP API answers preflight)', () => {
    const routeKeys = Object.values(template.findResources('AWS::ApiGatewayV2::Route')).map(
      (r) => r.Properties.RouteKey,
    );

    expect(routeKeys.sort()).toEqual(COLLECTOR_ROUTES.map((route) => `${route.method} ${route.path}`).sort());
  });

  it('throttles the default stage and writes access logs', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 10000, ThrottlingBurstLimit: 5000 },
      AccessLogSettings: Match.objectLike({ DestinationArn: Match.anyValue() }),
    });
  });

  it('is told its stream and write-key parameter by their shared names', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          [COLLECTOR_ENV.streamName]: { Ref: Match.stringLikeRegexp('^RawStream') },
          [COLLECTOR_ENV.writeKeysParameter]: '/tally/dev/write-keys',
        }),
      },
    });
  });

  it('may put records on the raw stream and read the write-key parameter only', () => {
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyName: Match.stringLikeRegexp('^CollectorHandlerRole'),
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: ['kinesis:ListShards', 'kinesis:PutRecord', 'kinesis:PutRecords'],
            Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^RawStream'), 'Arn'] },
          }),
          Match.objectLike({
            Action: Match.arrayWith(['ssm:GetParameter']),
            Resource: 'arn:aws:ssm:eu-west-1:123456789012:parameter/tally/dev/write-keys',
          }),
        ]),
      },
    });
  });
});

describe('validator', () => {
  it('reads the raw stream with partial batch responses, bisection and a failure destination', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^RawStream'), 'Arn'] },
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: 500,
      MaximumBatchingWindowInSeconds: 1,
      ParallelizationFactor: 2,
      MaximumRetryAttempts: 3,
      BisectBatchOnFunctionError: true,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      DestinationConfig: {
        OnFailure: {
          Destination: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ValidatorFailedBatches'), 'Arn'] },
        },
      },
    });
  });

  it('names every folder copied beside its bundle in its environment, so the handler finds it there', () => {
    const env = (description: string) =>
      Object.values(template.findResources('AWS::Lambda::Function')).find((fn) =>
        String(fn.Properties.Description).startsWith(description),
      )?.Properties.Environment.Variables;

    expect(env('Tally transform')).toMatchObject({
      [ASSET_ENV.sql]: bundledAssetDir('sql'),
      [ASSET_ENV.schemas]: bundledAssetDir('schemas'),
    });
    expect(env('Tally quality')).toMatchObject({ [ASSET_ENV.sql]: bundledAssetDir('sql') });
    expect(env('Tally quality')).not.toHaveProperty(ASSET_ENV.schemas);
    expect(env('Tally GDPR erasure')).toMatchObject({
      [ASSET_ENV.sql]: bundledAssetDir('sql'),
      [ASSET_ENV.schemas]: bundledAssetDir('schemas'),
    });
    expect(env('Tally replay')).toMatchObject({ [ASSET_ENV.sql]: bundledAssetDir('sql') });
    expect(env('Tally collector')).not.toHaveProperty(ASSET_ENV.sql);
  });

  it('keeps failed batch records encrypted for 14 days', () => {
    template.hasResourceProperties('AWS::SQS::Queue', {
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 14 * 24 * 3600,
    });
  });

  it('is told both delivery streams, the bundled schemas and the build', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          [VALIDATOR_ENV.eventsDeliveryStream]: { Ref: Match.stringLikeRegexp('^DeliveryEvents') },
          [VALIDATOR_ENV.rejectedDeliveryStream]: { Ref: Match.stringLikeRegexp('^DeliveryRejected') },
          [VALIDATOR_ENV.schemasDir]: bundledAssetDir('schemas'),
          [VALIDATOR_ENV.validatorBuild]: 'abc1234',
        }),
      },
    });
  });

  it('may put records on the two delivery streams only', () => {
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyName: Match.stringLikeRegexp('^ValidatorHandlerRole'),
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: ['firehose:PutRecord', 'firehose:PutRecordBatch'],
            Resource: [
              { 'Fn::GetAtt': [Match.stringLikeRegexp('^DeliveryEvents'), 'Arn'] },
              { 'Fn::GetAtt': [Match.stringLikeRegexp('^DeliveryRejected'), 'Arn'] },
            ],
          }),
        ]),
      },
    });
  });
});

describe('transform', () => {
  it('is told the Snowflake account, role, warehouse and key pair secret', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Timeout: 300,
      Environment: {
        Variables: Match.objectLike({
          [SNOWFLAKE_ENV.account]: 'MYORG-MYACCOUNT',
          [SNOWFLAKE_ENV.user]: 'TALLY_SERVICE',
          [SNOWFLAKE_ENV.role]: 'TALLY_PIPELINE',
          [SNOWFLAKE_ENV.warehouse]: 'TALLY_WH',
          [SNOWFLAKE_ENV.database]: 'TALLY',
          [SNOWFLAKE_ENV.privateKeySecretId]: { Ref: Match.stringLikeRegexp('^SnowflakeKeyPair') },
          [SNOWFLAKE_ENV.queryTag]: 'tally:dev',
        }),
      },
    });
  });

  it('may read the key pair secret and no other secret', () => {
    const secretStatements = statements().filter((s) =>
      actionsOf(s).some((a) => a.startsWith('secretsmanager:')),
    );

    expect(secretStatements.length).toBeGreaterThan(0);
    for (const s of secretStatements) {
      expect(s.Resource).toEqual({ Ref: expect.stringMatching(/^SnowflakeKeyPair/) });
    }
  });

  it('is not retried by Lambda: the next scheduled run catches up', () => {
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', { MaximumRetryAttempts: 0 });
  });
});

const functionProps = (logicalIdPrefix: string) => {
  const found = Object.entries(template.findResources('AWS::Lambda::Function')).filter(([id]) =>
    id.startsWith(logicalIdPrefix),
  );
  expect(found).toHaveLength(1);
  return found[0]![1].Properties;
};

const policyStatements = (roleLogicalIdPrefix: string): Statement[] =>
  Object.values(
    template.findResources('AWS::IAM::Policy', {
      Properties: { PolicyName: Match.stringLikeRegexp(`^${roleLogicalIdPrefix}`) },
    }),
  ).flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[]);

const objectsUnder = (prefix: string) => ({
  'Fn::Join': ['', [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^DeliveryRaw'), 'Arn'] }, `/${prefix}*`]],
});

describe('Snowflake warehouses', () => {
  it('runs the transform alone on its warehouse, and quality, erasure and replay on the jobs warehouse', () => {
    const warehouseOf = (logicalIdPrefix: string): unknown =>
      functionProps(logicalIdPrefix).Environment.Variables[SNOWFLAKE_ENV.warehouse];

    expect(warehouseOf('TransformHandler')).toBe('TALLY_WH');
    for (const job of ['QualityHandler', 'ErasureHandler', 'ReplayHandler']) {
      expect(warehouseOf(job)).toBe('TALLY_JOBS_WH');
    }
  });
});

describe('quality', () => {
  const qualityFunction = () => functionProps('QualityHandler');

  it('is told the Snowflake connection, with statements stopped at a fifth of its 10-minute timeout', () => {
    expect(qualityFunction()).toMatchObject({
      Timeout: 600,
      Environment: {
        Variables: expect.objectContaining({
          [SNOWFLAKE_ENV.account]: 'MYORG-MYACCOUNT',
          [SNOWFLAKE_ENV.user]: 'TALLY_SERVICE',
          [SNOWFLAKE_ENV.role]: 'TALLY_PIPELINE',
          [SNOWFLAKE_ENV.warehouse]: 'TALLY_JOBS_WH',
          [SNOWFLAKE_ENV.database]: 'TALLY',
          [SNOWFLAKE_ENV.privateKeySecretId]: { Ref: expect.stringMatching(/^SnowflakeKeyPair/) },
          [SNOWFLAKE_ENV.queryTag]: 'tally:dev',
          [SNOWFLAKE_ENV.statementTimeoutSeconds]: '120',
        }),
      },
    });
  });

  it('may read the key pair secret, read metric data, write its logs and traces, and nothing else (EMF metrics go through its logs)', () => {
    const actions = policyStatements('QualityHandlerRole').flatMap(actionsOf).sort();

    expect(actions).toEqual([
      'cloudwatch:GetMetricData',
      'cloudwatch:ListMetrics',
      'logs:CreateLogStream',
      'logs:PutLogEvents',
      'secretsmanager:DescribeSecret',
      'secretsmanager:GetSecretValue',
      'xray:PutTelemetryRecords',
      'xray:PutTraceSegments',
    ]);
  });

  it("may list and read metric data on * (neither action takes a resource): the collector's AcceptedEvents", () => {
    const reads = statements().filter((s) => actionsOf(s).some((a) => a.startsWith('cloudwatch:')));

    expect(reads).toEqual([
      {
        Sid: 'ReadCollectorAcceptedEvents',
        Effect: 'Allow',
        Action: ['cloudwatch:GetMetricData', 'cloudwatch:ListMetrics'],
        Resource: '*',
      },
    ]);
    expect(policyStatements('QualityHandlerRole')).toContainEqual(reads[0]);
  });
});

describe('erasure', () => {
  it('is told the Snowflake connection, the raw bucket, that it keeps versions, and the staging prefix', () => {
    expect(functionProps('ErasureHandler')).toMatchObject({
      Timeout: 900,
      MemorySize: 1024,
      Environment: {
        Variables: expect.objectContaining({
          [SNOWFLAKE_ENV.account]: 'MYORG-MYACCOUNT',
          [SNOWFLAKE_ENV.privateKeySecretId]: { Ref: expect.stringMatching(/^SnowflakeKeyPair/) },
          [SNOWFLAKE_ENV.queryTag]: 'tally:dev',
          [ERASURE_ENV.bucket]: { Ref: expect.stringMatching(/^DeliveryRaw/) },
          [ERASURE_ENV.bucketVersioned]: 'true',
          [ERASURE_ENV.stagingPrefix]: ERASURE_STAGING_PREFIX,
        }),
      },
    });
  });

  it('hands raw objects to a FIFO queue that its object worker reads one message at a time, retried 3 times, then dead-lettered', () => {
    const queues = template.findResources('AWS::SQS::Queue', {
      Properties: { FifoQueue: true, RedrivePolicy: Match.anyValue() },
    });
    expect(Object.keys(queues)).toEqual([expect.stringMatching(/^ErasureObjects/)]);
    const [queue] = Object.values(queues);
    expect(queue!.Properties).toMatchObject({
      VisibilityTimeout: 5400,
      SqsManagedSseEnabled: true,
      RedrivePolicy: {
        maxReceiveCount: 3,
        deadLetterTargetArn: { 'Fn::GetAtt': [expect.stringMatching(/^ErasureObjectDeadLetters/), 'Arn'] },
      },
    });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ErasureObjects'), 'Arn'] },
      FunctionName: { Ref: Match.stringLikeRegexp('^ErasureObjectWorkerHandler') },
      BatchSize: 1,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    expect(functionProps('ErasureHandler').Environment.Variables[ERASURE_ENV.objectQueueUrl]).toEqual({
      Ref: expect.stringMatching(/^ErasureObjects/),
    });
    expect(policyStatements('ErasureHandlerRole').flatMap(actionsOf)).toContain('sqs:SendMessage');
  });

  it('lets the object worker touch raw objects exactly as the scheduled job does, on the jobs warehouse', () => {
    const sids = (role: string) => policyStatements(role).flatMap((st) => (st as { Sid?: string }).Sid ?? []);

    expect(sids('ErasureObjectWorkerHandlerRole').sort()).toEqual(
      expect.arrayContaining(sids('ErasureHandlerRole').sort()),
    );
    expect(functionProps('ErasureObjectWorkerHandler')).toMatchObject({
      Timeout: 900,
      ReservedConcurrentExecutions: 20,
      Environment: { Variables: expect.objectContaining({ [SNOWFLAKE_ENV.warehouse]: 'TALLY_JOBS_WH' }) },
    });
  });

  it('pages when an object lands in the dead-letter queue', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'tally-dev-ErasureObjectDeadLetters',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Namespace: 'AWS/SQS',
      Dimensions: [
        {
          Name: 'QueueName',
          Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ErasureObjectDeadLetters'), 'QueueName'] },
        },
      ],
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
  });

  it('may read raw files and delete their versions under events/ and rejected/ only', () => {
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyName: Match.stringLikeRegexp('^ErasureHandlerRole'),
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Sid: 'ReadAndPurgeRawFiles',
            Effect: 'Allow',
            Action: ['s3:DeleteObjectVersion', 's3:GetObject'],
            Resource: [objectsUnder('events/'), objectsUnder('rejected/')],
          },
        ]),
      },
    });
  });

  it('may write a raw file only by copying it from the staging prefix', () => {
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyName: Match.stringLikeRegexp('^ErasureHandlerRole'),
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Sid: 'ReplaceRawFilesFromStaging',
            Effect: 'Allow',
            Action: 's3:PutObject',
            Resource: [objectsUnder('events/'), objectsUnder('rejected/')],
            Condition: {
              StringLike: {
                's3:x-amz-copy-source': {
                  'Fn::Join': [
                    '',
                    [{ Ref: Match.stringLikeRegexp('^DeliveryRaw') }, `/${ERASURE_STAGING_PREFIX}*`],
                  ],
                },
              },
            },
          },
        ]),
      },
    });
  });

  it('may stage, read back and delete objects under the staging prefix, and list only its three prefixes', () => {
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyName: Match.stringLikeRegexp('^ErasureHandlerRole'),
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Sid: 'StageRewrites',
            Effect: 'Allow',
            Action: ['s3:DeleteObjectVersion', 's3:GetObject', 's3:PutObject'],
            Resource: objectsUnder(ERASURE_STAGING_PREFIX),
          },
          {
            Sid: 'ListRawFilesAndVersions',
            Effect: 'Allow',
            Action: ['s3:ListBucket', 's3:ListBucketVersions'],
            Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DeliveryRaw'), 'Arn'] },
            Condition: {
              StringLike: { 's3:prefix': ['events/*', 'rejected/*', `${ERASURE_STAGING_PREFIX}*`] },
            },
          },
        ]),
      },
    });
  });

  it('is named in a stack output, for the admin invocation', () => {
    template.hasOutput(STACK_OUTPUTS.jobFunctionName('erasure'), {
      Value: { Ref: Match.stringLikeRegexp('^ErasureHandler') },
    });
  });

  it('is granted nothing else on S3 (no bucket-wide object access, no unversioned delete)', () => {
    const s3 = policyStatements('ErasureHandlerRole').filter((s) =>
      actionsOf(s).some((a) => a.startsWith('s3:')),
    );

    expect(s3.map((s) => (s as Statement & { Sid: string }).Sid).sort()).toEqual([
      'ListRawFilesAndVersions',
      'ReadAndPurgeRawFiles',
      'ReplaceRawFilesFromStaging',
      'StageRewrites',
    ]);
  });
});

describe('Snowflake storage integration role', () => {
  it('trusts only this account with the placeholder external id until the handshake', () => {
    template.hasResourceProperties('AWS::IAM::Role', {
      RoleName: 'tally-dev-snowflake-storage',
      AssumeRolePolicyDocument: {
        Statement: [
          Match.objectLike({
            Principal: { AWS: 'arn:aws:iam::123456789012:root' },
            Condition: { StringEquals: { 'sts:ExternalId': '0000' } },
          }),
        ],
      },
    });
  });

  it('may read the events and rejected prefixes only', () => {
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyName: Match.stringLikeRegexp('^SnowflakeStorageIntegrationRole'),
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'ReadRawFiles',
            Action: ['s3:GetObject', 's3:GetObjectVersion'],
            Resource: [
              { 'Fn::Join': ['', [Match.anyValue(), '/events/*']] },
              { 'Fn::Join': ['', [Match.anyValue(), '/rejected/*']] },
            ],
          }),
          Match.objectLike({
            Sid: 'ListRawPrefixes',
            Condition: { StringLike: { 's3:prefix': ['events/*', 'rejected/*'] } },
          }),
        ]),
      },
    });
  });
});
