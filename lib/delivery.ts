import { Duration, RemovalPolicy, type Size } from 'aws-cdk-lib';
import type { IDeliveryStream } from 'aws-cdk-lib/aws-kinesisfirehose';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { RAW_PREFIXES } from '#core/contract/bucket-layout.ts';
import { FirehoseToS3 } from './firehose-to-s3.ts';

/**
 * In a versioned bucket an expiring object leaves a delete marker; once the noncurrent versions behind it
 * expire it is the only thing left under its key, and S3 would keep it (and list it) forever. S3 accepts
 * this option only in a rule without an expiration of its own.
 */
const REMOVE_EXPIRED_DELETE_MARKERS = {
  id: 'remove-expired-delete-markers',
  expiredObjectDeleteMarker: true,
};

export interface DeliveryProps {
  /** Name prefix for the buckets' logical ids and the delivery streams, e.g. `tally-dev`. */
  readonly namePrefix: string;
  /** @default 180 */
  readonly rawRetentionDays?: number;
  /** @default 7 */
  readonly noncurrentVersionDays?: number;
  /** @default Duration.seconds(30) */
  readonly bufferingInterval?: Duration;
  /** @default Size.mebibytes(128) */
  readonly bufferingSize?: Size;
  readonly logRetention: RetentionDays;
  /** @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The raw bucket and the two Firehose streams that fill it: `events/` and `rejected/`,
 * partitioned `dt=YYYY-MM-DD/hr=HH/` (UTC), gzip NDJSON. Buffering (30 s or 128 MiB, whichever
 * first) keeps a file's age at Snowpipe at half a minute, so buffer plus Snowpipe's own latency (about a
 * minute, more at night when its queue is cold) stays inside the 2-minute raw target at the 95th percentile.
 */
export class Delivery extends Construct {
  public readonly bucket: Bucket;
  public readonly accessLogsBucket: Bucket;
  public readonly events: FirehoseToS3;
  public readonly rejected: FirehoseToS3;
  public readonly eventsStream: IDeliveryStream;
  public readonly rejectedStream: IDeliveryStream;

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
        REMOVE_EXPIRED_DELETE_MARKERS,
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
        REMOVE_EXPIRED_DELETE_MARKERS,
      ],
    });

    const stream = (streamId: string, name: string, prefix: string) =>
      new FirehoseToS3(this, streamId, {
        deliveryStreamName: `${props.namePrefix}-${name}`,
        bucket: this.bucket,
        prefix,
        errorName: name,
        bufferingInterval: props.bufferingInterval,
        bufferingSize: props.bufferingSize,
        logRetention: props.logRetention,
      });
    this.events = stream('Events', 'events', RAW_PREFIXES.events);
    this.rejected = stream('Rejected', 'rejected', RAW_PREFIXES.rejected);
    this.eventsStream = this.events.deliveryStream;
    this.rejectedStream = this.rejected.deliveryStream;
  }
}
