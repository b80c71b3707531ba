import { Duration, Validations } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IStream } from 'aws-cdk-lib/aws-kinesis';
import type { IDeliveryStream } from 'aws-cdk-lib/aws-kinesisfirehose';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Bucket } from 'aws-cdk-lib/aws-s3';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { RAW_PREFIXES } from '#core/contract/bucket-layout.ts';
import { REPLAY_ENV } from '#core/replay/config.ts';
import type { SnowflakeConfig } from './config.ts';
import { bucketObjectsFinding } from './nag-findings.ts';
import { WarehouseJob } from './warehouse-job.ts';

export interface ReplayJobProps {
  readonly snowflake: SnowflakeConfig;
  readonly keyPairSecret: ISecret;
  readonly queryTag: string;
  /** The raw bucket: the replay of rejected events reads its `rejected/` files. */
  readonly bucket: Bucket;
  /** The raw stream: failed batches are read back from it. */
  readonly stream: IStream;
  /** The validator's failure queue (its on-failure destination). */
  readonly failureQueue: IQueue;
  readonly eventsStream: IDeliveryStream;
  readonly rejectedStream: IDeliveryStream;
  /** The deployed validator's build, stamped into replayed lines as the validator stamps its own. */
  readonly build: string;
  readonly logRetention: RetentionDays;
}

/** Entry of the replay Lambda. */
export const REPLAY_HANDLER = 'lambdas/handlers/replay.ts';

/**
 * The replay Lambda, invoked by hand (docs/DEPLOY.md, Replay): rejected events after a fix, or the
 * validator's failed batches re-read from the stream, through the validator core into the two Firehose
 * streams. A warehouse job (it looks dedup keys up in Snowflake) with the schemas beside it, allowed to
 * read `rejected/` files, read the raw stream, take messages off the failure queue and put records on
 * both delivery streams. One runs at a time (reserved concurrency 1): two replays of one queue would
 * race for its messages.
 */
export class ReplayJob extends WarehouseJob {
  constructor(scope: Construct, id: string, props: ReplayJobProps) {
    const { bucket } = props;
    const timeout = Duration.minutes(15);
    super(scope, id, {
      entry: REPLAY_HANDLER,
      description: 'Tally replay: rejected events after a fix, and failed validator batches',
      timeout,
      memorySize: 1024,
      reservedConcurrency: 1,
      // The dedup-key lookup's SQL, and the schemas and catalog the validator loads.
      copyDirectories: ['sql', 'schemas'],
      snowflake: props.snowflake,
      // Off the transform's warehouse (sql/snowflake/setup.sql).
      warehouse: props.snowflake.jobsWarehouse,
      keyPairSecret: props.keyPairSecret,
      queryTag: props.queryTag,
      logRetention: props.logRetention,
      environment: {
        [REPLAY_ENV.bucket]: bucket.bucketName,
        [REPLAY_ENV.eventsDeliveryStream]: props.eventsStream.deliveryStreamName,
        [REPLAY_ENV.rejectedDeliveryStream]: props.rejectedStream.deliveryStreamName,
        [REPLAY_ENV.failureQueueUrl]: props.failureQueue.queueUrl,
        [REPLAY_ENV.validatorBuild]: props.build,
      },
    });
    const fn = this.handler.function;
    const rejected = `${RAW_PREFIXES.rejected}*`;
    fn.addToRolePolicy(
      new PolicyStatement({
        sid: 'ReadRejectedFiles',
        actions: ['s3:GetObject'],
        resources: [bucket.arnForObjects(rejected)],
      }),
    );
    fn.addToRolePolicy(
      new PolicyStatement({
        sid: 'ListRejectedFiles',
        actions: ['s3:ListBucket'],
        resources: [bucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': [rejected] } },
      }),
    );
    fn.addToRolePolicy(
      new PolicyStatement({
        sid: 'ReadRawStreamRanges',
        actions: ['kinesis:GetShardIterator', 'kinesis:GetRecords'],
        resources: [props.stream.streamArn],
      }),
    );
    props.failureQueue.grantConsumeMessages(fn);
    props.eventsStream.grantPutRecords(fn);
    props.rejectedStream.grantPutRecords(fn);
    Validations.of(this.handler.role).acknowledge({
      id: bucketObjectsFinding(bucket, rejected),
      reason: `The replay reads the rejected files of the requested hours under ${RAW_PREFIXES.rejected}; read-only, that prefix only.`,
    });
  }
}
