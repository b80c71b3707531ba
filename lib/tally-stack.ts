import { CfnOutput, Duration, Size, Stack, type StackProps } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { curatedFreshnessCheck } from '#core/quality/checks/freshness-curated.ts';
import { freshnessP95Check } from '#core/quality/checks/freshness-p95.ts';
import { rawFreshnessCheck } from '#core/quality/checks/freshness-raw.ts';
import { declaredChecks } from '#core/quality/registry.ts';
import { grantAcceptedEventsRead } from './accepted-events-read.ts';
import { PipelineAlarms } from './alarms.ts';
import { CollectorApi } from './collector-api.ts';
import type { TallyConfig } from './config.ts';
import { PipelineDashboard } from './dashboard.ts';
import { Delivery } from './delivery.ts';
import { erasureAlarms } from './erasure-alarm-specs.ts';
import { ErasureJob } from './erasure-job.ts';
import { TallyInfraError } from './errors.ts';
import {
  collectorAlarms,
  deliveryAlarms,
  streamAlarms,
  transformAlarms,
  validatorAlarms,
} from './pipeline-alarm-specs.ts';
import { qualityAlarms } from './quality-alarm-specs.ts';
import { RawStream } from './raw-stream.ts';
import { ReplayJob } from './replay-job.ts';
import { type JobSchedule, Schedules } from './schedules.ts';
import { SnowflakeAccess } from './snowflake-access.ts';
import { SnowpipeNotifications } from './snowpipe-notifications.ts';
import { Validator } from './validator.ts';
import { WarehouseJob, type WarehouseJobProps } from './warehouse-job.ts';

export interface TallyStackProps extends StackProps {
  readonly config: TallyConfig;
}

/** Names of the stack outputs the deploy guide and `scripts/snowflake-setup.ts` read. */
export const STACK_OUTPUTS = {
  collectorUrl: 'CollectorUrl',
  rawBucketName: 'RawBucketName',
  storageIntegrationRoleArn: 'StorageIntegrationRoleArn',
  keyPairSecretName: 'SnowflakeKeyPairSecretName',
  alarmTopicArn: 'AlarmTopicArn',
  ticketTopicArn: 'TicketTopicArn',
  dashboardName: 'DashboardName',
  /** `<Job>FunctionName` per scheduled job, e.g. `ErasureFunctionName`: what `aws lambda invoke` needs. */
  jobFunctionName: (job: string) => `${job.charAt(0).toUpperCase()}${job.slice(1)}FunctionName`,
} as const;

const TRANSFORM_TIMEOUT = Duration.minutes(5);
/** Fourteen checks in sequence, some scanning days of the fact table; still well inside a 15-minute schedule. */
const QUALITY_TIMEOUT = Duration.minutes(10);

const retentionDays = (days: number): RetentionDays => {
  const value = Object.values(RetentionDays).find((v) => v === days);
  if (typeof value !== 'number') throw new TallyInfraError(`log retention of ${days} days is not supported`);
  return value;
};

/**
 * The whole pipeline in one stack: collector, raw stream, validator, Firehose to S3, the
 * Snowflake storage role and key pair secret, Snowpipe notifications (once the queue is known),
 * the scheduled warehouse jobs (transform; quality and erasure unless their flags turn them off),
 * alarms and the dashboard.
 */
export class TallyStack extends Stack {
  constructor(scope: Construct, id: string, props: TallyStackProps) {
    super(scope, id, props);
    const { config } = props;
    const namePrefix = `tally-${config.stage}`;
    const logRetention = retentionDays(config.logRetentionDays);

    const raw = new RawStream(this, 'RawStream', {
      streamName: `${namePrefix}-raw`,
      mode: config.stream.mode,
      shardCount: config.stream.shardCount,
      retentionHours: config.stream.retentionHours,
    });
    const delivery = new Delivery(this, 'Delivery', {
      namePrefix,
      rawRetentionDays: config.rawRetentionDays,
      noncurrentVersionDays: config.noncurrentVersionDays,
      bufferingInterval: Duration.seconds(config.firehose.bufferSeconds),
      bufferingSize: Size.mebibytes(config.firehose.bufferMiB),
      logRetention,
    });
    const collector = new CollectorApi(this, 'Collector', {
      namePrefix,
      stream: raw.stream,
      writeKeysParameterName: config.writeKeysParameter,
      rateLimit: config.collector.rateLimit,
      burstLimit: config.collector.burstLimit,
      corsAllowedOrigins: config.collector.corsAllowedOrigins,
      reservedConcurrency: config.collector.reservedConcurrency,
      logRetention,
    });
    const validator = new Validator(this, 'Validator', {
      stream: raw.stream,
      eventsStream: delivery.eventsStream,
      rejectedStream: delivery.rejectedStream,
      build: config.build,
      batchSize: config.validator.batchSize,
      maxBatchingWindow: Duration.seconds(config.validator.batchWindowSeconds),
      parallelizationFactor: config.validator.parallelization,
      retryAttempts: config.validator.retryAttempts,
      logRetention,
    });

    const snowflake = new SnowflakeAccess(this, 'Snowflake', {
      namePrefix,
      bucket: delivery.bucket,
      secretName: config.snowflake.secretName,
      snowflakeIamUserArn: config.snowflake.iamUserArn,
      snowflakeExternalId: config.snowflake.externalId,
    });
    if (config.snowflake.pipeQueueArn !== undefined) {
      new SnowpipeNotifications(this, 'SnowpipeNotifications', {
        bucket: delivery.bucket,
        queueArn: config.snowflake.pipeQueueArn,
      });
    }

    type JobOptions = Pick<
      WarehouseJobProps,
      'entry' | 'description' | 'timeout' | 'copyDirectories' | 'warehouse'
    >;
    const job = (id: string, options: JobOptions) =>
      new WarehouseJob(this, id, {
        ...options,
        snowflake: config.snowflake,
        keyPairSecret: snowflake.keyPairSecret,
        queryTag: `tally:${config.stage}`,
        logRetention,
      });
    const transform = job('Transform', {
      entry: 'lambdas/handlers/transform.ts',
      description: 'Tally transform: incremental MERGE models',
      timeout: TRANSFORM_TIMEOUT,
      // The models and the feature catalog.
      copyDirectories: ['sql', 'schemas'],
    });
    const quality = config.features.quality
      ? job('Quality', {
          entry: 'lambdas/handlers/quality.ts',
          description: 'Tally quality checks: results, metrics, alarms',
          timeout: QUALITY_TIMEOUT,
          // The check queries and the results DDL; the checks read the catalog from dim_feature.
          copyDirectories: ['sql'],
          // Off the transform's warehouse (sql/snowflake/setup.sql).
          warehouse: config.snowflake.jobsWarehouse,
        })
      : undefined;
    // The reconciliation's collector leg reads the collector's AcceptedEvents metric back.
    if (quality !== undefined) grantAcceptedEventsRead(quality.handler);
    const erasure = config.features.erasure
      ? new ErasureJob(this, 'Erasure', {
          snowflake: config.snowflake,
          keyPairSecret: snowflake.keyPairSecret,
          queryTag: `tally:${config.stage}`,
          bucket: delivery.bucket,
          logRetention,
        })
      : undefined;

    const replay = new ReplayJob(this, 'Replay', {
      snowflake: config.snowflake,
      keyPairSecret: snowflake.keyPairSecret,
      queryTag: `tally:${config.stage}`,
      bucket: delivery.bucket,
      stream: raw.stream,
      failureQueue: validator.failureQueue,
      eventsStream: delivery.eventsStream,
      rejectedStream: delivery.rejectedStream,
      build: config.build,
      logRetention,
    });

    const jobs: JobSchedule[] = [
      {
        name: 'transform',
        expression: config.schedules.transform,
        target: transform.handler.function,
        description: 'Runs the incremental MERGE models',
      },
    ];
    if (quality !== undefined) {
      jobs.push({
        name: 'quality',
        expression: config.schedules.quality,
        target: quality.handler.function,
        description: 'Runs the data-quality checks',
      });
    }
    if (erasure !== undefined) {
      jobs.push({
        name: 'erasure',
        expression: config.schedules.erasure,
        target: erasure.handler.function,
        description: 'Processes due GDPR erasure requests',
        retryAttempts: 3,
        maxEventAge: Duration.hours(1),
      });
    }
    new Schedules(this, 'Schedules', { groupName: namePrefix, jobs });

    const alarms = new PipelineAlarms(this, 'Alarms', {
      namePrefix,
      runbookBaseUrl: config.runbookBaseUrl,
      alarmEmail: config.alarmEmail,
      ticketEmail: config.ticketEmail,
    });
    const qualityInterval = Duration.minutes(config.schedules.qualityIntervalMinutes);
    const checks = declaredChecks();
    const deliveryStreams = { events: delivery.eventsStream, rejected: delivery.rejectedStream };
    const specs = [
      ...collectorAlarms(collector.api),
      ...streamAlarms(raw.stream),
      ...validatorAlarms(
        validator.handler.function,
        validator.failureQueue,
        Duration.hours(config.stream.retentionHours),
      ),
      ...deliveryAlarms(deliveryStreams),
      ...transformAlarms(transform.handler.function, TRANSFORM_TIMEOUT),
      ...(quality !== undefined ? qualityAlarms(checks, qualityInterval) : []),
      ...(erasure !== undefined ? erasureAlarms(erasure.handler.function, erasure.objectDeadLetters) : []),
    ];
    for (const spec of specs) alarms.add(spec);

    const dashboard = new PipelineDashboard(this, 'Dashboard', {
      dashboardName: namePrefix,
      api: collector.api,
      collector: collector.handler.function,
      stream: raw.stream,
      validator: validator.handler.function,
      validatorFailureQueue: validator.failureQueue,
      deliveryStreams,
      jobs: Object.fromEntries(jobs.map((j) => [j.name, j.target])),
      alarms: [...alarms.alarms.values()],
      erasure: erasure !== undefined,
      ...(quality !== undefined && {
        quality: {
          checks,
          rawFreshness: rawFreshnessCheck(),
          curatedFreshness: curatedFreshnessCheck(),
          freshnessP95: freshnessP95Check(),
          interval: qualityInterval,
        },
      }),
    });

    const output = (id: string, value: string, description: string) =>
      new CfnOutput(this, id, { value, description });
    output(
      STACK_OUTPUTS.collectorUrl,
      collector.stage.url,
      'Collector base URL (POST /v1/events, /v1/batch, ...)',
    );
    output(STACK_OUTPUTS.rawBucketName, delivery.bucket.bucketName, 'Raw bucket (events/, rejected/)');
    output(
      STACK_OUTPUTS.storageIntegrationRoleArn,
      snowflake.storageRole.roleArn,
      'STORAGE_AWS_ROLE_ARN of the Snowflake storage integration',
    );
    output(STACK_OUTPUTS.keyPairSecretName, config.snowflake.secretName, 'Secret to fill with the key pair');
    output(STACK_OUTPUTS.alarmTopicArn, alarms.topic.topicArn, 'SNS topic the paging alarms publish to');
    output(STACK_OUTPUTS.ticketTopicArn, alarms.ticketTopic.topicArn, 'SNS topic of warn-severity alarms');
    output(STACK_OUTPUTS.dashboardName, dashboard.dashboard.dashboardName, 'CloudWatch dashboard');
    for (const j of jobs) {
      output(
        STACK_OUTPUTS.jobFunctionName(j.name),
        j.target.functionName,
        `The ${j.name} Lambda, to invoke by hand`,
      );
    }
    output(
      STACK_OUTPUTS.jobFunctionName('replay'),
      replay.handler.function.functionName,
      'The replay Lambda: rejected events after a fix, failed validator batches (docs/DEPLOY.md, Replay)',
    );
  }
}
