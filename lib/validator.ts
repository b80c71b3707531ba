import { Duration, Validations } from 'aws-cdk-lib';
import type { IStream } from 'aws-cdk-lib/aws-kinesis';
import type { IDeliveryStream } from 'aws-cdk-lib/aws-kinesisfirehose';
import { StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { KinesisEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { VALIDATOR_ENV } from '#core/validator/config.ts';
import { ProjectFunction } from './project-function.ts';

export interface ValidatorProps {
  readonly stream: IStream;
  readonly eventsStream: IDeliveryStream;
  readonly rejectedStream: IDeliveryStream;
  /** Identifies the deployed code (a git sha); stamped into every line's lineage. */
  readonly build: string;
  /** @default 500 */
  readonly batchSize?: number;
  /** @default Duration.seconds(1) */
  readonly maxBatchingWindow?: Duration;
  /** @default 2 */
  readonly parallelizationFactor?: number;
  /** @default 3 */
  readonly retryAttempts?: number;
  readonly logRetention: RetentionDays;
}

/**
 * The validator: a Lambda on the raw stream that sends valid events to the events Firehose and
 * the rest, with reasons, to the rejected Firehose. It reports partial batch failures; a batch
 * that keeps failing is bisected to isolate the bad record, and after the retries its shard
 * and sequence range go to the failure queue so it can be replayed while the stream keeps it.
 */
export class Validator extends Construct {
  public readonly handler: ProjectFunction;
  public readonly failureQueue: Queue;
  public readonly eventSource: KinesisEventSource;

  constructor(scope: Construct, id: string, props: ValidatorProps) {
    super(scope, id);
    this.handler = new ProjectFunction(this, 'Handler', {
      entry: 'lambdas/handlers/validator.ts',
      description: 'Tally validator: validates raw events and routes them to the events or rejected Firehose',
      memorySize: 1024,
      timeout: Duration.seconds(60),
      logRetention: props.logRetention,
      copyDirectories: ['schemas'],
      environment: {
        [VALIDATOR_ENV.eventsDeliveryStream]: props.eventsStream.deliveryStreamName,
        [VALIDATOR_ENV.rejectedDeliveryStream]: props.rejectedStream.deliveryStreamName,
        [VALIDATOR_ENV.validatorBuild]: props.build,
      },
    });
    props.eventsStream.grantPutRecords(this.handler.function);
    props.rejectedStream.grantPutRecords(this.handler.function);

    this.failureQueue = new Queue(this, 'FailedBatches', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.failureQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is itself the failure destination of the validator; the replay Lambda replays its messages (docs/DEPLOY.md, Replay).',
    });
    this.eventSource = new KinesisEventSource(props.stream, {
      startingPosition: StartingPosition.TRIM_HORIZON,
      batchSize: props.batchSize ?? 500,
      maxBatchingWindow: props.maxBatchingWindow ?? Duration.seconds(1),
      parallelizationFactor: props.parallelizationFactor ?? 2,
      retryAttempts: props.retryAttempts ?? 3,
      bisectBatchOnError: true,
      reportBatchItemFailures: true,
      onFailure: new SqsDlq(this.failureQueue),
    });
    this.handler.function.addEventSource(this.eventSource);
  }
}
