import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Stream, StreamEncryption, StreamMode } from 'aws-cdk-lib/aws-kinesis';
import { Construct } from 'constructs';

export interface RawStreamProps {
  readonly streamName: string;
  /** @default 'on-demand' */
  readonly mode?: 'on-demand' | 'provisioned';
  /**
   * Only used in provisioned mode.
   * @default 4
   */
  readonly shardCount?: number;
  /** @default 168 (7 days: the time there is to replay what the validator could not process) */
  readonly retentionHours?: number;
}

/**
 * The raw Kinesis stream the collector writes to and the validator reads, encrypted with the AWS
 * managed key. On-demand by default (it follows the daily curve, but a new on-demand stream takes only
 * 4 MB/s and 4,000 records/s until it has seen more); provisioned with the shards the peak needs for
 * launch traffic (lib/capacity.ts, docs/DEPLOY.md). Deleted with the stack: its name is fixed, so a
 * kept stream would block the next deploy, and once the validator has drained it (docs/DEPLOY.md,
 * Teardown) everything in it is in S3.
 */
export class RawStream extends Construct {
  public readonly stream: Stream;

  constructor(scope: Construct, id: string, props: RawStreamProps) {
    super(scope, id);
    const onDemand = (props.mode ?? 'on-demand') === 'on-demand';
    this.stream = new Stream(this, 'Stream', {
      streamName: props.streamName,
      streamMode: onDemand ? StreamMode.ON_DEMAND : StreamMode.PROVISIONED,
      shardCount: onDemand ? undefined : (props.shardCount ?? 4),
      retentionPeriod: Duration.hours(props.retentionHours ?? 168),
      encryption: StreamEncryption.MANAGED,
      removalPolicy: RemovalPolicy.DESTROY,
    });
  }
}
