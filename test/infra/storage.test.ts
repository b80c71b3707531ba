import { beforeAll, describe, expect, it } from '@jest/globals';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { ERASURE_STAGING_PREFIX } from '#core/contract/bucket-layout.ts';
import { FULL_CONTEXT, synthesize } from './synth.ts';

let template: Template;
beforeAll(() => {
  // Handshake done: Snowpipe's queue is known, so the bucket notifies it.
  ({ template } = synthesize(FULL_CONTEXT));
});

const rawBucket = () => {
  const buckets = template.findResources('AWS::S3::Bucket', {
    Properties: { LoggingConfiguration: Match.objectLike({ LogFilePrefix: 'raw/' }) },
  });
  const entries = Object.entries(buckets);
  expect(entries).toHaveLength(1);
  return entries[0]!;
};

describe('raw bucket', () => {
  it('is encrypted, versioned and blocks public access', () => {
    const [, bucket] = rawBucket();

    expect(bucket.Properties).toMatchObject({
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
      VersioningConfiguration: { Status: 'Enabled' },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
    });
  });

  it('expires raw files after 180 days and noncurrent versions after 7', () => {
    const [, bucket] = rawBucket();

    expect(bucket.Properties.LifecycleConfiguration.Rules).toContainEqual(
      expect.objectContaining({
        Id: 'expire-raw',
        Status: 'Enabled',
        ExpirationInDays: 180,
        NoncurrentVersionExpiration: { NoncurrentDays: 7 },
        AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
      }),
    );
  });

  it('expires what a crashed erasure run left under its staging prefix after a day', () => {
    const [, bucket] = rawBucket();

    expect(bucket.Properties.LifecycleConfiguration.Rules).toContainEqual(
      expect.objectContaining({
        Id: 'expire-erasure-staging',
        Prefix: ERASURE_STAGING_PREFIX,
        ExpirationInDays: 1,
        NoncurrentVersionExpiration: { NoncurrentDays: 1 },
        Status: 'Enabled',
      }),
    );
  });

  it('denies every request that is not over TLS', () => {
    const [logicalId] = rawBucket();

    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: logicalId },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 's3:*',
            Principal: { AWS: '*' },
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });

  it('is kept when the stack is deleted', () => {
    const [logicalId] = rawBucket();

    expect(template.toJSON().Resources[logicalId].DeletionPolicy).toBe('Retain');
  });
});

describe('raw stream', () => {
  it('is on-demand, encrypted with the AWS managed key, and keeps records 7 days', () => {
    template.hasResourceProperties('AWS::Kinesis::Stream', {
      StreamModeDetails: { StreamMode: 'ON_DEMAND' },
      StreamEncryption: { EncryptionType: 'KMS', KeyId: 'alias/aws/kinesis' },
      RetentionPeriodHours: 168,
    });
  });

  it('takes a shard count in provisioned mode', () => {
    const provisioned = synthesize({ 'tally:streamMode': 'provisioned', 'tally:shardCount': 8 }).template;

    provisioned.hasResourceProperties('AWS::Kinesis::Stream', {
      StreamModeDetails: { StreamMode: 'PROVISIONED' },
      ShardCount: 8,
    });
  });
});

describe('Firehose delivery', () => {
  it.each([
    ['events', 'events/'],
    ['rejected', 'rejected/'],
  ])('writes the %s stream as gzip NDJSON partitioned by date and hour', (name, prefix) => {
    template.hasResourceProperties('AWS::KinesisFirehose::DeliveryStream', {
      DeliveryStreamName: `tally-dev-${name}`,
      DeliveryStreamEncryptionConfigurationInput: { KeyType: 'AWS_OWNED_CMK' },
      ExtendedS3DestinationConfiguration: Match.objectLike({
        Prefix: `${prefix}dt=!{timestamp:yyyy-MM-dd}/hr=!{timestamp:HH}/`,
        ErrorOutputPrefix: `errors/${name}/!{firehose:error-output-type}/dt=!{timestamp:yyyy-MM-dd}/`,
        CompressionFormat: 'GZIP',
        FileExtension: '.json.gz',
        BufferingHints: { IntervalInSeconds: 30, SizeInMBs: 128 },
        CloudWatchLoggingOptions: Match.objectLike({ Enabled: true }),
      }),
    });
  });

  it('lets each stream write only its own prefixes', () => {
    const [bucketId] = rawBucket();
    const objects = (path: string) => ({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, path]] });

    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyName: Match.stringLikeRegexp('^DeliveryEventsRole'),
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Sid: 'WriteOwnPrefixes',
            Effect: 'Allow',
            Action: ['s3:AbortMultipartUpload', 's3:GetObject', 's3:PutObject'],
            Resource: [objects('/errors/events/*'), objects('/events/*')],
          },
        ]),
      },
    });
  });
});

describe('Snowpipe notifications', () => {
  it('tell the queue of files Firehose puts under events/ and rejected/, never of copies (erasure rewrites)', () => {
    const [notifications] = Object.values(template.findResources('Custom::S3BucketNotifications'));
    const queued: { Events: string[]; Filter: { Key: { FilterRules: { Value: string }[] } } }[] =
      notifications!.Properties.NotificationConfiguration.QueueConfigurations;

    expect(
      queued.map((q) => `${q.Filter.Key.FilterRules.map((r) => r.Value).join()} ${q.Events.join()}`).sort(),
    ).toEqual([
      'events/ s3:ObjectCreated:CompleteMultipartUpload',
      'events/ s3:ObjectCreated:Put',
      'rejected/ s3:ObjectCreated:CompleteMultipartUpload',
      'rejected/ s3:ObjectCreated:Put',
    ]);
    for (const q of queued) expect(q).toMatchObject({ QueueArn: FULL_CONTEXT['tally:snowpipeQueueArn'] });
  });
});
