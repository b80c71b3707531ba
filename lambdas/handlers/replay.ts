import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { FirehoseClient } from '@aws-sdk/client-firehose';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { FirehoseLineSink } from '#adapters/aws/firehose-sink.ts';
import { KinesisRangeReader } from '#adapters/aws/kinesis-range-reader.ts';
import { S3ObjectStore } from '#adapters/aws/s3-object-store.ts';
import { SqsFailedBatchQueue } from '#adapters/aws/sqs-failed-batch-queue.ts';
import { loadValidator } from '#adapters/node/load-validator.ts';
import { loadSqlLibrary } from '#adapters/node/sql-files.ts';
import { parseSnowflakeConfig } from '#adapters/snowflake/config.ts';
import { createSnowflakeWarehouse } from '#adapters/snowflake/snowflake-warehouse.ts';
import { parseReplayConfig } from '#core/replay/config.ts';
import { runReplayJob } from '#core/replay/replay-job.ts';

/**
 * Replay Lambda, invoked by hand (docs/DEPLOY.md, Replay): rejected events after a fix, or the
 * validator's failed batches, through the validator core into the Firehose streams. It stops a minute
 * and a half before its timeout and says how to go on. Logs counts, never event content.
 */
const config = parseReplayConfig(process.env);
const validate = await loadValidator({ schemasDir: config.schemasDir, build: config.validatorBuild });
const firehose = new FirehoseClient({});
const events = new FirehoseLineSink(firehose, config.eventsDeliveryStream);
const logger = new Logger({ serviceName: 'tally-replay' });
const RESERVE_MS = 90_000;

const deps = {
  rejected: {
    objects: new S3ObjectStore({ client: new S3Client({}), bucket: config.bucket }),
    validate,
    events,
    warehouse: createSnowflakeWarehouse(parseSnowflakeConfig(process.env)),
    sql: loadSqlLibrary('snowflake', config.sqlDir),
  },
  failedBatches: {
    queue: new SqsFailedBatchQueue(new SQSClient({}), config.failureQueueUrl, 15 * 60),
    stream: new KinesisRangeReader(new KinesisClient({})),
    validate,
    events,
    rejected: new FirehoseLineSink(firehose, config.rejectedDeliveryStream),
  },
  now: () => new Date(),
};

export const handler = middy(async (event: unknown, context: Context) => {
  const result = await runReplayJob(deps, event, () => context.getRemainingTimeInMillis() < RESERVE_MS);
  logger.info('replay run', { result });
  return result;
}).use(injectLambdaContext(logger));
