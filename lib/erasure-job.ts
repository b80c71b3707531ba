import { Duration, Validations } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Bucket } from 'aws-cdk-lib/aws-s3';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { ERASURE_ENV } from '#core/erasure/config.ts';
import { ERASURE_STAGING_PREFIX, RAW_PREFIXES } from '#core/contract/bucket-layout.ts';
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
}

/** Entry of the erasure Lambda. */
export const ERASURE_HANDLER = 'lambdas/handlers/erasure.ts';

/**
 * The GDPR erasure job: a warehouse job on `lambdas/handlers/erasure.ts`, told the raw bucket, and
 * allowed exactly what the S3 object store does there. A rewrite puts the cleaned file under the
 * staging prefix, copies it over the original (the only way it may write raw files), then deletes the
 * staging object and the original's old versions by version id; listings are limited to those prefixes.
 */
export class ErasureJob extends WarehouseJob {
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
      keyPairSecret: props.keyPairSecret,
      queryTag: props.queryTag,
      logRetention: props.logRetention,
      environment: {
        [ERASURE_ENV.bucket]: bucket.bucketName,
        [ERASURE_ENV.bucketVersioned]: 'true',
        [ERASURE_ENV.stagingPrefix]: ERASURE_STAGING_PREFIX,
      },
    });
    const fn = this.handler.function;
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
    bucket.addLifecycleRule({
      id: 'expire-erasure-staging',
      prefix: ERASURE_STAGING_PREFIX,
      expiration: Duration.days(1),
      noncurrentVersionExpiration: Duration.days(1),
    });
    Validations.of(this.handler.role).acknowledge(
      ...Object.values(RAW_PREFIXES).map((prefix) => ({
        id: bucketObjectsFinding(bucket, `${prefix}*`),
        reason: `Erasure reads and rewrites (copy from staging only) the raw files under ${prefix} that hold an erased user's events.`,
      })),
      {
        id: bucketObjectsFinding(bucket, staging),
        reason: `Erasure stages each rewritten file under ${ERASURE_STAGING_PREFIX} (random key) and deletes it after the copy.`,
      },
    );
  }
}
