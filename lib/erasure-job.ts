import { Duration, Validations } from 'aws-cdk-lib';
import { type IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Bucket } from 'aws-cdk-lib/aws-s3';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { ERASURE_STAGING_PREFIX, RAW_PREFIXES } from '#core/contract/bucket-layout.ts';
import { ERASURE_ENV } from '#core/erasure/config.ts';
import type { SnowflakeConfig } from './config.ts';
import { bucketObjectsFinding } from './nag-findings.ts';
import { WarehouseJob } from './warehouse-job.ts';

export interface ErasureJobProps {
  readonly snowflake: SnowflakeConfig;
  readonly keyPairSecret: ISecret;
  readonly queryTag: string;
  /** The raw bucket (versioned): the job rewrites the files under `events/` and `rejected/`. */
  readonly bucket: Bucket;
  readonly logRetention: RetentionDays;
  /** @default Duration.minutes(15) - the Lambda maximum; the erasure lock outlives it */
  readonly timeout?: Duration;
  /** @default 1024 - a rewritten file is held in memory, compressed */
  readonly memorySize?: number;
  /**
   * Object workers working at once (the worker Lambda's reserved concurrency): how many raw objects are
   * erased in parallel.
   * @default 20
   */
  readonly objectWorkers?: number;
  /**
   * Deliveries of one object's message before it goes to the dead-letter queue.
   * @default 3
   */
  readonly objectAttempts?: number;
}

/** Entry of the erasure object worker Lambda. */
export const ERASURE_OBJECTS_HANDLER = 'lambdas/handlers/erasure-objects.ts';

/** Entry of the erasure Lambda. */
export const ERASURE_HANDLER = 'lambdas/handlers/erasure.ts';

/**
 * The GDPR erasure job: a warehouse job on `lambdas/handlers/erasure.ts`, told the raw bucket, and
 * allowed exactly what the S3 object store does there. A rewrite puts the cleaned file under the
 * staging prefix, copies it over the original (the only way it may write raw files), then deletes the
 * staging object and the original's old versions by version id; listings are limited to those prefixes.
 */
export class ErasureJob extends WarehouseJob {
  /** The queue of raw objects the scheduled job hands out, one message each. */
  public readonly objectQueue: Queue;
  /** Messages of objects that failed every attempt. */
  public readonly objectDeadLetters: Queue;
  /** The Lambda that erases one object per message. */
  public readonly objectWorker: WarehouseJob;

  constructor(scope: Construct, id: string, props: ErasureJobProps) {
    const { bucket } = props;
    super(scope, id, {
      entry: ERASURE_HANDLER,
      description: 'Tally GDPR erasure: warehouse rows and raw files of erased users',
      timeout: props.timeout ?? Duration.minutes(15),
      memorySize: props.memorySize ?? 1024,
      // The erase and sweep SQL, the model runner's models, and the feature catalog it needs.
      copyDirectories: ['sql', 'schemas'],
      snowflake: props.snowflake,
      // Off the transform's warehouse (sql/snowflake/setup.sql).
      warehouse: props.snowflake.jobsWarehouse,
      keyPairSecret: props.keyPairSecret,
      queryTag: props.queryTag,
      logRetention: props.logRetention,
      environment: {
        [ERASURE_ENV.bucket]: bucket.bucketName,
        [ERASURE_ENV.bucketVersioned]: 'true',
        [ERASURE_ENV.stagingPrefix]: ERASURE_STAGING_PREFIX,
      },
    });
    const grantObjects = (fn: IFunction & IGrantable): void => {
      const raw = Object.values(RAW_PREFIXES).map((prefix) => `${prefix}*`);
      const staging = `${ERASURE_STAGING_PREFIX}*`;
      fn.addToRolePolicy(
        new PolicyStatement({
          sid: 'ReadAndPurgeRawFiles',
          actions: ['s3:GetObject', 's3:DeleteObjectVersion'],
          resources: raw.map((pattern) => bucket.arnForObjects(pattern)),
        }),
      );
      fn.addToRolePolicy(
        new PolicyStatement({
          sid: 'ReplaceRawFilesFromStaging',
          actions: ['s3:PutObject'],
          resources: raw.map((pattern) => bucket.arnForObjects(pattern)),
          conditions: { StringLike: { 's3:x-amz-copy-source': `${bucket.bucketName}/${staging}` } },
        }),
      );
      fn.addToRolePolicy(
        new PolicyStatement({
          sid: 'StageRewrites',
          actions: ['s3:PutObject', 's3:GetObject', 's3:DeleteObjectVersion'],
          resources: [bucket.arnForObjects(staging)],
        }),
      );
      fn.addToRolePolicy(
        new PolicyStatement({
          sid: 'ListRawFilesAndVersions',
          actions: ['s3:ListBucket', 's3:ListBucketVersions'],
          resources: [bucket.bucketArn],
          conditions: { StringLike: { 's3:prefix': [...raw, staging] } },
        }),
      );
    };
    grantObjects(this.handler.function);

    // One message per raw object of a request (FIFO, grouped by object key: one object is never worked by
    // two workers at once); a message failing objectAttempts times goes to the dead-letter queue, alarmed.
    this.objectDeadLetters = new Queue(this, 'ObjectDeadLetters', {
      fifo: true,
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.objectDeadLetters).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is itself the dead-letter queue of the erasure object queue (alarm ErasureObjectDeadLetters).',
    });
    const workerTimeout = Duration.minutes(15);
    this.objectQueue = new Queue(this, 'Objects', {
      fifo: true,
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // Six times the worker's timeout, as Lambda advises for an SQS event source.
      visibilityTimeout: Duration.minutes(workerTimeout.toMinutes() * 6),
      retentionPeriod: Duration.days(14),
      deadLetterQueue: { queue: this.objectDeadLetters, maxReceiveCount: props.objectAttempts ?? 3 },
    });
    this.objectWorker = new WarehouseJob(this, 'ObjectWorker', {
      entry: ERASURE_OBJECTS_HANDLER,
      description: 'Tally GDPR erasure: one raw object per message',
      timeout: workerTimeout,
      // One full vCPU (Lambda gives CPU in proportion to memory): the matcher and gzip are CPU-bound.
      memorySize: 1769,
      copyDirectories: ['sql'],
      snowflake: props.snowflake,
      warehouse: props.snowflake.jobsWarehouse,
      keyPairSecret: props.keyPairSecret,
      queryTag: props.queryTag,
      logRetention: props.logRetention,
      reservedConcurrency: props.objectWorkers ?? 20,
      environment: {
        [ERASURE_ENV.bucket]: bucket.bucketName,
        [ERASURE_ENV.bucketVersioned]: 'true',
        [ERASURE_ENV.stagingPrefix]: ERASURE_STAGING_PREFIX,
      },
    });
    const worker = this.objectWorker.handler.function;
    grantObjects(worker);
    worker.addEventSource(
      new SqsEventSource(this.objectQueue, { batchSize: 1, reportBatchItemFailures: true }),
    );
    this.objectQueue.grantSendMessages(this.handler.function);
    this.handler.function.addEnvironment(ERASURE_ENV.objectQueueUrl, this.objectQueue.queueUrl);

    bucket.addLifecycleRule({
      id: 'expire-erasure-staging',
      prefix: ERASURE_STAGING_PREFIX,
      expiration: Duration.days(1),
      noncurrentVersionExpiration: Duration.days(1),
    });
    for (const role of [this.handler.role, this.objectWorker.handler.role]) {
      Validations.of(role).acknowledge(
        ...Object.values(RAW_PREFIXES).map((prefix) => ({
          id: bucketObjectsFinding(bucket, `${prefix}*`),
          reason: `Erasure reads and rewrites (copy from staging only) the raw files under ${prefix} that hold an erased user's events.`,
        })),
        {
          id: bucketObjectsFinding(bucket, `${ERASURE_STAGING_PREFIX}*`),
          reason: `Erasure stages each rewritten file under ${ERASURE_STAGING_PREFIX} (random key) and deletes it after the copy.`,
        },
      );
    }
  }
}
