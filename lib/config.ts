import { type ContextLookup, ContextReader } from './context-reader.ts';
import { TallyConfigError } from './errors.ts';
import { rateMinutes } from './rate-minutes.ts';

/** Prefix of every Tally context key in `cdk.json` (`tally:stage`, `tally:alarmEmail`, ...). */
export const CONTEXT_PREFIX = 'tally:';

/** Where the warehouse lives and how the Lambdas and Snowpipe reach it. */
export interface SnowflakeConfig {
  /** Account identifier, `ORGNAME-ACCOUNTNAME`. */
  readonly account: string;
  /** Service user the Lambdas connect as (key-pair authentication). */
  readonly user: string;
  readonly database: string;
  readonly warehouse: string;
  /** Role the Lambdas use; created by `sql/snowflake/setup.sql`. */
  readonly role: string;
  /** Secrets Manager name of the key pair secret. */
  readonly secretName: string;
  /** `STORAGE_AWS_IAM_USER_ARN` from `DESC INTEGRATION` (handshake step 2); unset until known. */
  readonly iamUserArn: string | undefined;
  /** `STORAGE_AWS_EXTERNAL_ID` from `DESC INTEGRATION` (handshake step 2); unset until known. */
  readonly externalId: string | undefined;
  /** The pipes' `notification_channel` from `SHOW PIPES` (handshake step 3); unset until known. */
  readonly pipeQueueArn: string | undefined;
}

/** Everything the stack reads from `cdk.json` context, parsed and validated once. */
export interface TallyConfig {
  /** Deployment stage; part of every resource name (`tally-<stage>-...`). */
  readonly stage: string;
  /** Identifies the deployed code in lineage (pass `-c tally:build=$(git rev-parse --short HEAD)`). */
  readonly build: string;
  /** Days raw event and rejected files stay in S3 (and in RAW tables). */
  readonly rawRetentionDays: number;
  /** Days noncurrent object versions are kept after an overwrite or delete (GDPR erasure bound). */
  readonly noncurrentVersionDays: number;
  /** Days CloudWatch Logs keep Lambda and API access logs. */
  readonly logRetentionDays: number;
  readonly stream: {
    readonly mode: 'on-demand' | 'provisioned';
    /** Used only in provisioned mode. */
    readonly shardCount: number;
    readonly retentionHours: number;
  };
  readonly collector: {
    /** Steady-state requests per second the HTTP API stage admits. */
    readonly rateLimit: number;
    readonly burstLimit: number;
  };
  readonly validator: {
    readonly batchSize: number;
    readonly batchWindowSeconds: number;
    readonly parallelization: number;
    readonly retryAttempts: number;
  };
  readonly firehose: {
    readonly bufferSeconds: number;
    readonly bufferMiB: number;
  };
  /** EventBridge Scheduler expressions (`rate(...)`, `cron(...)`). */
  readonly schedules: {
    readonly transform: string;
    /** A `rate(...)` of 1 to 60 minutes: the quality alarms' periods follow it. */
    readonly quality: string;
    /** Minutes between two quality runs (parsed from `quality`). */
    readonly qualityIntervalMinutes: number;
    readonly erasure: string;
  };
  /** Optional scheduled jobs, on by default; turn one off to deploy a stage without it (and its alarms). */
  readonly features: {
    readonly quality: boolean;
    readonly erasure: boolean;
  };
  readonly snowflake: SnowflakeConfig;
  /** Email subscribed to the alarm topic (pages); unset means no subscription. */
  readonly alarmEmail: string | undefined;
  /** Email subscribed to the ticket topic (warn-severity alarms); unset means no subscription. */
  readonly ticketEmail: string | undefined;
  /** SSM parameter name holding the write keys JSON (`{ "keys": [{ "source_id", "key_sha256" }] }`). */
  readonly writeKeysParameter: string;
  /** Prefix of runbook links in alarm descriptions (`<base>/collector-5xx.md`). */
  readonly runbookBaseUrl: string;
}

const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];
const STAGE = /^[a-z][a-z0-9-]{0,15}$/;
const SCHEDULE = /^(rate\(\d+ (minute|minutes|hour|hours|day|days)\)|cron\([^()]+\))$/;
/** The quality alarms evaluate up to 3 periods; Metrics Insights alarms see only the last 3 hours. */
const QUALITY_INTERVAL_MINUTES = { min: 1, max: 60 } as const;
const SNOWFLAKE_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_$]{0,254}$/;
const SNOWFLAKE_ACCOUNT = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,254}$/;
const IAM_USER_ARN = /^arn:aws[a-z-]*:iam::\d{12}:user\/[\w+=,.@/-]+$/;
const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;
const SQS_ARN = /^arn:aws[a-z-]*:sqs:[a-z0-9-]+:\d{12}:[\w-]+$/;
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const SSM_NAME = /^\/[\w.\-/]+$/;
const SECRET_NAME = /^[\w/+=.@-]{1,512}$/;

/**
 * Parses and validates the `tally:*` context. Every default synthesizes with no AWS account;
 * every problem is gathered into one {@link TallyConfigError}.
 */
export const loadConfig = (lookup: ContextLookup): TallyConfig => {
  const read = new ContextReader(lookup, CONTEXT_PREFIX);
  const schedule = (key: string, fallback: string) =>
    read.string(key, fallback, SCHEDULE, 'a Scheduler expression like rate(5 minutes) or cron(0 3 * * ? *)');
  const identifier = (key: string, fallback: string) =>
    read.string(
      key,
      fallback,
      SNOWFLAKE_IDENTIFIER,
      'a plain Snowflake identifier (letters, digits, _ or $)',
    );

  const stage = read.string('stage', 'dev', STAGE, 'a lowercase name of up to 16 letters, digits or dashes');
  const logRetentionDays = read.int('logRetentionDays', 30, { min: 1, max: 3653 });
  if (!LOG_RETENTION_DAYS.includes(logRetentionDays)) {
    read.problem('logRetentionDays', `CloudWatch Logs accepts only ${LOG_RETENTION_DAYS.join(', ')}`);
  }
  const snowflake: SnowflakeConfig = {
    account: read.string(
      'snowflakeAccount',
      'MYORG-MYACCOUNT',
      SNOWFLAKE_ACCOUNT,
      'an account like MYORG-MYACCOUNT',
    ),
    user: identifier('snowflakeUser', 'TALLY_SERVICE'),
    database: identifier('snowflakeDatabase', 'TALLY'),
    warehouse: identifier('snowflakeWarehouse', 'TALLY_WH'),
    role: identifier('snowflakeRole', 'TALLY_PIPELINE'),
    secretName: read.string('snowflakeSecretName', `tally/${stage}/snowflake`, SECRET_NAME, 'a secret name'),
    iamUserArn: read.optionalString('snowflakeIamUserArn', IAM_USER_ARN, 'an IAM user ARN'),
    externalId: read.optionalString('snowflakeExternalId', EXTERNAL_ID, 'an IAM external id'),
    pipeQueueArn: read.optionalString('snowpipeQueueArn', SQS_ARN, 'an SQS queue ARN'),
  };
  if ((snowflake.iamUserArn === undefined) !== (snowflake.externalId === undefined)) {
    read.problem(
      'snowflakeIamUserArn',
      'comes with tally:snowflakeExternalId from DESC INTEGRATION: set both or neither',
    );
  }

  const features = {
    quality: read.bool('qualityEnabled', true),
    erasure: read.bool('erasureEnabled', true),
  };
  const qualitySchedule = schedule('qualitySchedule', 'rate(15 minutes)');
  const qualityIntervalMinutes = rateMinutes(qualitySchedule);
  const { min, max } = QUALITY_INTERVAL_MINUTES;
  if (
    features.quality &&
    (qualityIntervalMinutes === undefined || qualityIntervalMinutes < min || qualityIntervalMinutes > max)
  ) {
    read.problem(
      'qualitySchedule',
      `must be a rate of ${min} to ${max} minutes, e.g. rate(15 minutes): the quality alarms' periods follow it`,
    );
  }

  const config: TallyConfig = {
    stage,
    build: read.string('build', 'unversioned', /^[\w.+-]{1,64}$/, 'a version or git sha'),
    rawRetentionDays: read.int('rawRetentionDays', 180, { min: 1, max: 3650 }),
    noncurrentVersionDays: read.int('noncurrentVersionDays', 7, { min: 1, max: 30 }),
    logRetentionDays,
    stream: {
      mode: read.oneOf('streamMode', 'on-demand', ['on-demand', 'provisioned'] as const),
      shardCount: read.int('shardCount', 4, { min: 1, max: 500 }),
      retentionHours: read.int('streamRetentionHours', 24, { min: 24, max: 8760 }),
    },
    collector: {
      rateLimit: read.int('collectorRateLimit', 10000, { min: 1, max: 1_000_000 }),
      burstLimit: read.int('collectorBurstLimit', 5000, { min: 1, max: 1_000_000 }),
    },
    validator: {
      batchSize: read.int('validatorBatchSize', 500, { min: 1, max: 10000 }),
      batchWindowSeconds: read.int('validatorBatchWindowSeconds', 1, { min: 0, max: 300 }),
      parallelization: read.int('validatorParallelization', 2, { min: 1, max: 10 }),
      retryAttempts: read.int('validatorRetryAttempts', 3, { min: 0, max: 10000 }),
    },
    firehose: {
      bufferSeconds: read.int('firehoseBufferSeconds', 60, { min: 0, max: 900 }),
      bufferMiB: read.int('firehoseBufferMiB', 128, { min: 1, max: 128 }),
    },
    schedules: {
      transform: schedule('transformSchedule', 'rate(5 minutes)'),
      quality: qualitySchedule,
      qualityIntervalMinutes: qualityIntervalMinutes ?? 15,
      erasure: schedule('erasureSchedule', 'cron(0 3 * * ? *)'),
    },
    features,
    snowflake,
    alarmEmail: read.optionalString('alarmEmail', EMAIL, 'an email address'),
    ticketEmail: read.optionalString('ticketEmail', EMAIL, 'an email address'),
    writeKeysParameter: read.string(
      'writeKeysParameter',
      `/tally/${stage}/write-keys`,
      SSM_NAME,
      'an SSM parameter name starting with /',
    ),
    runbookBaseUrl: read.string('runbookBaseUrl', 'docs/runbooks', /^\S+$/, 'a URL or path without spaces'),
  };
  if (read.problems.length > 0) throw new TallyConfigError(read.problems);
  return config;
};
