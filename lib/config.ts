import { shardsForPeak } from './capacity.ts';
import { type ContextLookup, ContextReader } from './context-reader.ts';
import { TallyConfigError } from './errors.ts';
import { rateMinutes } from './rate-minutes.ts';

/** Prefix of every Tally context key in `cdk.json` (`tally:stage`, `tally:alarmEmail`, ...). */
export const CONTEXT_PREFIX = 'tally:';

/**
 * Context key of the per-stage settings: `"tally:stages": { "prod": { "snowflakeExternalId": "..." } }`.
 * A stage's block holds any setting but `stage` (keys without the `tally:` prefix) and wins over the
 * same flat `tally:<key>`, so what one stage needs (its handshake values above all) is stored with it.
 */
export const STAGES_KEY = `${CONTEXT_PREFIX}stages`;

/** The stage that may deploy without the Snowflake handshake values (a sandbox). */
export const SANDBOX_STAGE = 'dev';

/** The settings the Snowflake handshake fills in, without which a deploy would undo it. */
export const HANDSHAKE_KEYS = ['snowflakeIamUserArn', 'snowflakeExternalId', 'snowpipeQueueArn'] as const;

/** Where the warehouse lives and how the Lambdas and Snowpipe reach it. */
export interface SnowflakeConfig {
  /** Account identifier, `ORGNAME-ACCOUNTNAME`. */
  readonly account: string;
  /** Service user the Lambdas connect as (key-pair authentication). */
  readonly user: string;
  readonly database: string;
  /** Warehouse of the transform (every 5 minutes), and the service user's default. */
  readonly warehouse: string;
  /** Size of the transform's warehouse (the jobs warehouse is XSMALL): the cost model sizes it (docs/DEPLOY.md). */
  readonly warehouseSize: (typeof WAREHOUSE_SIZES)[number];
  /**
   * Warehouse of the quality, erasure and replay jobs and of the analysts: their queries never queue
   * behind (or delay) the transform's. May equal `warehouse` to run everything on one.
   */
  readonly jobsWarehouse: string;
  /**
   * Credits a month the resource monitor on Tally's warehouses allows: it notifies at 75 and 90 %,
   * suspends them at 100 % (running statements finish) and at 110 % (statements cancelled).
   */
  readonly monthlyCreditQuota: number;
  /** Role the Lambdas use; created by `sql/snowflake/setup.sql`. */
  readonly role: string;
  /** Secrets Manager name of the key pair secret. */
  readonly secretName: string;
  /** Role analysts query the curated tables with (SELECT only); created by `sql/snowflake/setup.sql`. */
  readonly analystRole: string;
  /** `STORAGE_AWS_IAM_USER_ARN` from `DESC INTEGRATION` (handshake step 2); unset until known. */
  readonly iamUserArn: string | undefined;
  /**
   * The storage integration's `STORAGE_AWS_EXTERNAL_ID`. Chosen by the operator before the setup, which
   * presets it on the integration, so it is known from the first deploy; unset until chosen.
   */
  readonly externalId: string | undefined;
  /** The pipes' `notification_channel` from `SHOW PIPES` (handshake step 3); unset until known. */
  readonly pipeQueueArn: string | undefined;
  /**
   * `pending` only for a stage's first deploy, before the Snowflake setup exists (`-c
   * tally:snowflakeHandshake=pending`); otherwise a stage other than `dev` must have every handshake value.
   */
  readonly handshake: 'complete' | 'pending';
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
    /** `provisioned` for launch traffic; `on-demand` starts at 4 MB/s and 4,000 records/s (docs/DEPLOY.md). */
    readonly mode: 'on-demand' | 'provisioned';
    /** The peak the stream is sized for. */
    readonly peakEventsPerSecond: number;
    /** Average bytes of one event's JSON. */
    readonly eventBytes: number;
    /** Shards in provisioned mode: `tally:shardCount` when set, else derived from the peak (lib/capacity.ts). */
    readonly shardCount: number;
    /** Whether `shardCount` was set explicitly or derived from the peak. */
    readonly shardCountFrom: 'configured' | 'peak';
    /** How long the stream keeps records: the time there is to replay what the validator could not process. */
    readonly retentionHours: number;
  };
  readonly collector: {
    /** Steady-state requests per second the HTTP API stage admits. */
    readonly rateLimit: number;
    readonly burstLimit: number;
    /** `*` or the exact browser origins allowed to call the collector (CORS, answered by the HTTP API). */
    readonly corsAllowedOrigins: '*' | readonly string[];
    /** Concurrency reserved for (and capping) the collector Lambda; undefined leaves it unreserved. */
    readonly reservedConcurrency: number | undefined;
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

/**
 * The resource monitor's default quota: the cost model's ~1,700 credits a month at the reference scale
 * (docs/DEPLOY.md, *Cost at the reference scale*) with ~50 % room for analysts, replays, backfills and the
 * model's own uncertainty; at 100 % the jobs stop, so it must not be tight.
 */
export const DEFAULT_MONTHLY_CREDIT_QUOTA = 2500;
/** Sizes the transform's warehouse may take (Snowflake's names). */
export const WAREHOUSE_SIZES = ['XSMALL', 'SMALL', 'MEDIUM', 'LARGE'] as const;
/** $15K/month at $3/credit: a quota above the whole cap is a typo, not a budget. */
const MAX_MONTHLY_CREDIT_QUOTA = 5000;

const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];
const STAGE = /^[a-z][a-z0-9-]{0,15}$/;
const SCHEDULE = /^(rate\(\d+ (minute|minutes|hour|hours|day|days)\)|cron\([^()]+\))$/;
/** The quality alarms evaluate up to 3 periods; Metrics Insights alarms see only the last 3 hours. */
const QUALITY_INTERVAL_MINUTES = { min: 1, max: 60 } as const;
const SNOWFLAKE_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_$]{0,254}$/;
const ORIGINS = /^(\*|https?:\/\/[^\s,/]+(,https?:\/\/[^\s,/]+)*)$/;
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
export const loadConfig = (lookup: ContextLookup, options: LoadConfigOptions = {}): TallyConfig => {
  const early = new ContextReader(lookup, CONTEXT_PREFIX);
  const stage = early.string('stage', 'dev', STAGE, 'a lowercase name of up to 16 letters, digits or dashes');
  const block = stageBlock(lookup(STAGES_KEY), stage, early);
  const fromBlock = (key: string) => Object.hasOwn(block, key);
  const read = new ContextReader(
    (key) => {
      const name = key.slice(CONTEXT_PREFIX.length);
      return key.startsWith(CONTEXT_PREFIX) && fromBlock(name) ? block[name] : lookup(key);
    },
    CONTEXT_PREFIX,
    (key) => (fromBlock(key) ? `${STAGES_KEY}.${stage}.${key}` : `${CONTEXT_PREFIX}${key}`),
  );
  read.problems.push(...early.problems);
  const schedule = (key: string, fallback: string) =>
    read.string(key, fallback, SCHEDULE, 'a Scheduler expression like rate(5 minutes) or cron(0 3 * * ? *)');
  const identifier = (key: string, fallback: string) =>
    read.string(
      key,
      fallback,
      SNOWFLAKE_IDENTIFIER,
      'a plain Snowflake identifier (letters, digits, _ or $)',
    );

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
    warehouseSize: read.oneOf('snowflakeWarehouseSize', 'XSMALL', WAREHOUSE_SIZES),
    jobsWarehouse: identifier('snowflakeJobsWarehouse', 'TALLY_JOBS_WH'),
    monthlyCreditQuota: read.int('snowflakeMonthlyCreditQuota', DEFAULT_MONTHLY_CREDIT_QUOTA, {
      min: 1,
      max: MAX_MONTHLY_CREDIT_QUOTA,
    }),
    role: identifier('snowflakeRole', 'TALLY_PIPELINE'),
    analystRole: identifier('snowflakeAnalystRole', 'TALLY_ANALYST'),
    secretName: read.string('snowflakeSecretName', `tally/${stage}/snowflake`, SECRET_NAME, 'a secret name'),
    iamUserArn: read.optionalString('snowflakeIamUserArn', IAM_USER_ARN, 'an IAM user ARN'),
    externalId: read.optionalString('snowflakeExternalId', EXTERNAL_ID, 'an IAM external id'),
    pipeQueueArn: read.optionalString('snowpipeQueueArn', SQS_ARN, 'an SQS queue ARN'),
    handshake: read.oneOf('snowflakeHandshake', 'complete', ['complete', 'pending'] as const),
  };
  if (snowflake.iamUserArn !== undefined && snowflake.externalId === undefined) {
    read.problem(
      'snowflakeIamUserArn',
      'comes with tally:snowflakeExternalId (the STORAGE_AWS_EXTERNAL_ID of the integration): set both',
    );
  }
  const handshakeValues: Record<(typeof HANDSHAKE_KEYS)[number], string | undefined> = {
    snowflakeIamUserArn: snowflake.iamUserArn,
    snowflakeExternalId: snowflake.externalId,
    snowpipeQueueArn: snowflake.pipeQueueArn,
  };
  const missing = HANDSHAKE_KEYS.filter((key) => handshakeValues[key] === undefined);
  if (
    (options.requireHandshake ?? true) &&
    stage !== SANDBOX_STAGE &&
    snowflake.handshake === 'complete' &&
    missing.length > 0
  ) {
    read.problems.push(handshakeProblem(stage, missing));
  }
  if (snowflake.role === snowflake.analystRole) {
    read.problem('snowflakeAnalystRole', 'must differ from tally:snowflakeRole (analysts only read)');
  }

  const peak = {
    eventsPerSecond: read.int('peakEventsPerSecond', 12_000, { min: 1, max: 1_000_000 }),
    eventBytes: read.int('eventBytes', 1500, { min: 100, max: 1_048_576 }),
  };
  const configuredShards = read.optionalInt('shardCount', { min: 1, max: 10_000 });
  const corsOrigins = read.string(
    'corsAllowedOrigins',
    '*',
    ORIGINS,
    '* or comma-separated origins like https://app.example.com',
  );

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
      peakEventsPerSecond: peak.eventsPerSecond,
      eventBytes: peak.eventBytes,
      shardCount: configuredShards ?? shardsForPeak(peak),
      shardCountFrom: configuredShards === undefined ? 'peak' : 'configured',
      retentionHours: read.int('streamRetentionHours', 168, { min: 24, max: 8760 }),
    },
    collector: {
      rateLimit: read.int('collectorRateLimit', 10000, { min: 1, max: 1_000_000 }),
      burstLimit: read.int('collectorBurstLimit', 5000, { min: 1, max: 1_000_000 }),
      corsAllowedOrigins: corsOrigins === '*' ? '*' : corsOrigins.split(','),
      reservedConcurrency: read.optionalInt('collectorReservedConcurrency', { min: 1, max: 100_000 }),
    },
    validator: {
      batchSize: read.int('validatorBatchSize', 500, { min: 1, max: 10000 }),
      batchWindowSeconds: read.int('validatorBatchWindowSeconds', 1, { min: 0, max: 300 }),
      parallelization: read.int('validatorParallelization', 2, { min: 1, max: 10 }),
      retryAttempts: read.int('validatorRetryAttempts', 3, { min: 0, max: 10000 }),
    },
    firehose: {
      bufferSeconds: read.int('firehoseBufferSeconds', 30, { min: 0, max: 900 }),
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
  const unknown = Object.keys(block).filter((key) => !read.keys.has(key));
  for (const key of unknown) {
    read.problems.push(
      `${STAGES_KEY}.${stage}.${key}: not a Tally setting (${key === 'stage' ? 'a block is one stage' : 'a typo?'})`,
    );
  }
  if (read.problems.length > 0) throw new TallyConfigError(read.problems);
  return config;
};

export interface LoadConfigOptions {
  /**
   * Refuse a stage other than `dev` without every handshake value (unless `tally:snowflakeHandshake=pending`).
   * Off for the Snowflake setup script, which runs before the handshake exists.
   * @default true
   */
  readonly requireHandshake?: boolean;
}

/** The settings block of `stage` in `tally:stages` (a JSON string with `-c`), or an empty one. */
const stageBlock = (raw: unknown, stage: string, read: ContextReader): Readonly<Record<string, unknown>> => {
  let value = raw;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      read.problem('stages', 'is not JSON: expected { "<stage>": { "<setting>": <value>, ... } }');
      return {};
    }
  }
  if (value === undefined || value === null) return {};
  if (!isObject(value)) {
    read.problem('stages', 'expected an object of stages, e.g. { "prod": { "streamMode": "provisioned" } }');
    return {};
  }
  const block = value[stage];
  if (block === undefined) return {};
  if (!isObject(block)) {
    read.problem(`stages.${stage}`, 'expected an object of settings');
    return {};
  }
  return block;
};

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** What to do when a stage lacks handshake values: stated once, with the fix. */
const handshakeProblem = (stage: string, missing: readonly string[]): string =>
  `${STAGES_KEY}.${stage}: the Snowflake handshake values ${missing.join(', ')} are missing. A deploy ` +
  'without them would make the storage role stop trusting Snowflake and remove the bucket notifications: ' +
  'Snowpipe would stop loading without an error. Store them in cdk.json under ' +
  `"${STAGES_KEY}": { "${stage}": { ... } } (snowflakeExternalId: the one you chose for the setup; ` +
  'snowflakeIamUserArn: STORAGE_AWS_IAM_USER_ARN from DESC INTEGRATION; snowpipeQueueArn: notification_channel ' +
  'from SHOW PIPES; docs/DEPLOY.md section 3). Only for the first deploy of a stage, before its Snowflake ' +
  'setup exists, pass -c tally:snowflakeHandshake=pending.';
