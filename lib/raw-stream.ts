import { Duration } from 'aws-cdk-lib';
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
  /** @default 24 */
  readonly retentionHours?: number;
}

/**
 * The raw Kinesis stream the collector writes to and the validator reads. On-demand by default:
 * it follows the daily curve without capacity planning. Encrypted with the AWS managed key.
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
      retentionPeriod: Duration.hours(props.retentionHours ?? 24),
      encryption: StreamEncryption.MANAGED,
    });
  }
}
