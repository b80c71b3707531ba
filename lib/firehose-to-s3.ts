import { ArnFormat, Duration, RemovalPolicy, Size, Stack, Validations } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { CfnDeliveryStream, DeliveryStream, type IDeliveryStream } from 'aws-cdk-lib/aws-kinesisfirehose';
import { LogGroup, LogStream, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Bucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import {
  errorPrefix,
  errorRoot,
  partitionedPrefix,
  RAW_FILE_EXTENSION,
} from '#core/contract/bucket-layout.ts';
import { bucketObjectsFinding } from './nag-findings.ts';

export interface FirehoseToS3Props {
  readonly deliveryStreamName: string;
  readonly bucket: Bucket;
  /** Top-level prefix of the stream's files, e.g. `events/`. */
  readonly prefix: string;
  /** Names the stream's error prefix (`errors/<errorName>/...`). */
  readonly errorName: string;
  /** @default Duration.seconds(30) */
  readonly bufferingInterval?: Duration;
  /** @default Size.mebibytes(128) */
  readonly bufferingSize?: Size;
  readonly logRetention: RetentionDays;
}

/**
 * One Direct PUT Firehose stream writing gzip NDJSON to `<prefix>dt=.../hr=.../` (UTC),
 * encrypted at rest with an AWS owned key. Its role may write only its own prefixes (the L2
 * destination would grant read/write on the whole bucket), and delivery errors are logged.
 */
export class FirehoseToS3 extends Construct {
  public readonly deliveryStream: IDeliveryStream;
  public readonly role: Role;
  public readonly errorLogs: LogGroup;

  constructor(scope: Construct, id: string, props: FirehoseToS3Props) {
    super(scope, id);
    const { bucket } = props;
    this.errorLogs = new LogGroup(this, 'ErrorLogs', {
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const errorStream = new LogStream(this, 'S3Delivery', {
      logGroup: this.errorLogs,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    const stack = Stack.of(this);
    // Only Firehose acting for this account's own stream may assume the role (confused deputy).
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('firehose.amazonaws.com', {
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: {
            'aws:SourceArn': stack.formatArn({
              service: 'firehose',
              resource: 'deliverystream',
              resourceName: props.deliveryStreamName,
            }),
          },
        },
      }),
    });
    this.role.addToPolicy(
      new PolicyStatement({
        sid: 'WriteOwnPrefixes',
        actions: ['s3:PutObject', 's3:GetObject', 's3:AbortMultipartUpload'],
        resources: [
          bucket.arnForObjects(`${props.prefix}*`),
          bucket.arnForObjects(`${errorRoot(props.errorName)}*`),
        ],
      }),
    );
    this.role.addToPolicy(
      new PolicyStatement({
        sid: 'LocateBucket',
        actions: ['s3:GetBucketLocation', 's3:ListBucket', 's3:ListBucketMultipartUploads'],
        resources: [bucket.bucketArn],
      }),
    );
    this.role.addToPolicy(
      new PolicyStatement({
        sid: 'LogDeliveryErrors',
        actions: ['logs:PutLogEvents'],
        resources: [
          stack.formatArn({
            service: 'logs',
            resource: 'log-group',
            resourceName: `${this.errorLogs.logGroupName}:log-stream:${errorStream.logStreamName}`,
            arnFormat: ArnFormat.COLON_RESOURCE_NAME,
          }),
        ],
      }),
    );

    const cfn = new CfnDeliveryStream(this, 'Resource', {
      deliveryStreamName: props.deliveryStreamName,
      deliveryStreamType: 'DirectPut',
      deliveryStreamEncryptionConfigurationInput: { keyType: 'AWS_OWNED_CMK' },
      extendedS3DestinationConfiguration: {
        bucketArn: bucket.bucketArn,
        roleArn: this.role.roleArn,
        prefix: partitionedPrefix(props.prefix),
        errorOutputPrefix: errorPrefix(props.errorName),
        compressionFormat: 'GZIP',
        fileExtension: RAW_FILE_EXTENSION,
        bufferingHints: {
          intervalInSeconds: (props.bufferingInterval ?? Duration.seconds(30)).toSeconds(),
          sizeInMBs: (props.bufferingSize ?? Size.mebibytes(128)).toMebibytes(),
        },
        cloudWatchLoggingOptions: {
          enabled: true,
          logGroupName: this.errorLogs.logGroupName,
          logStreamName: errorStream.logStreamName,
        },
      },
    });
    Validations.of(this.role).acknowledge(
      {
        id: bucketObjectsFinding(bucket, `${props.prefix}*`),
        reason: `Firehose names each object itself (date, hour, uuid); the role may write only under ${props.prefix}.`,
      },
      {
        id: bucketObjectsFinding(bucket, `${errorRoot(props.errorName)}*`),
        reason: 'Firehose writes records it could not deliver under its own errors/ folder only.',
      },
    );
    // Firehose checks its role when the stream is created: the policy must exist first.
    cfn.node.addDependency(this.role);
    this.deliveryStream = DeliveryStream.fromDeliveryStreamAttributes(this, 'Stream', {
      deliveryStreamArn: cfn.attrArn,
      deliveryStreamName: cfn.ref,
    });
  }
}
