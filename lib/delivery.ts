import { Duration, RemovalPolicy, Size } from 'aws-cdk-lib';
import {
  Compression,
  DeliveryStream,
  StreamEncryption as FirehoseEncryption,
  S3Bucket,
} from 'aws-cdk-lib/aws-kinesisfirehose';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { errorPrefix, partitionedPrefix, RAW_FILE_EXTENSION, RAW_PREFIXES } from './bucket-layout.ts';

export interface DeliveryProps {
  /** Name prefix for the buckets' logical ids and the delivery streams, e.g. `tally-dev`. */
  readonly namePrefix: string;
  /** @default 180 */
  readonly rawRetentionDays?: number;
  /** @default 7 */
  readonly noncurrentVersionDays?: number;
  /** @default Duration.seconds(60) */
  readonly bufferingInterval?: Duration;
  /** @default Size.mebibytes(128) */
  readonly bufferingSize?: Size;
  /** @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The raw bucket and the two Firehose streams that fill it: `events/` and `rejected/`,
 * partitioned `dt=YYYY-MM-DD/hr=HH/` (UTC), gzip NDJSON. Buffering (60 s or 128 MiB, whichever
 * first) keeps a file's age at Snowpipe under a minute, inside the 2-minute raw target.
 */
export class Delivery extends Construct {
  public readonly bucket: Bucket;
  public readonly accessLogsBucket: Bucket;
  public readonly eventsStream: DeliveryStream;
  public readonly rejectedStream: DeliveryStream;

  constructor(scope: Construct, id: string, props: DeliveryProps) {
    super(scope, id);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const noncurrentVersionExpiration = Duration.days(props.noncurrentVersionDays ?? 7);

    this.accessLogsBucket = new Bucket(this, 'AccessLogs', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
      removalPolicy,
      lifecycleRules: [
        { id: 'expire-access-logs', expiration: Duration.days(90), noncurrentVersionExpiration },
      ],
    });
    this.bucket = new Bucket(this, 'Raw', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      serverAccessLogsBucket: this.accessLogsBucket,
      serverAccessLogsPrefix: 'raw/',
      removalPolicy,
      lifecycleRules: [
        {
          id: 'expire-raw',
          expiration: Duration.days(props.rawRetentionDays ?? 180),
          noncurrentVersionExpiration,
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
    });

    const destination = (prefix: string, stream: string) =>
      new S3Bucket(this.bucket, {
        dataOutputPrefix: partitionedPrefix(prefix),
        errorOutputPrefix: errorPrefix(stream),
        compression: Compression.GZIP,
        bufferingInterval: props.bufferingInterval ?? Duration.seconds(60),
        bufferingSize: props.bufferingSize ?? Size.mebibytes(128),
        fileExtension: RAW_FILE_EXTENSION,
      });
    this.eventsStream = new DeliveryStream(this, 'Events', {
      deliveryStreamName: `${props.namePrefix}-events`,
      destination: destination(RAW_PREFIXES.events, 'events'),
      encryption: FirehoseEncryption.awsOwnedKey(),
    });
    this.rejectedStream = new DeliveryStream(this, 'Rejected', {
      deliveryStreamName: `${props.namePrefix}-rejected`,
      destination: destination(RAW_PREFIXES.rejected, 'rejected'),
      encryption: FirehoseEncryption.awsOwnedKey(),
    });
  }
}
