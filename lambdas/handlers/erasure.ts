import { join } from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import middy from '@middy/core';
import { S3ObjectStore } from '#adapters/aws/s3-object-store.ts';
import { SqsObjectWorkQueue } from '#adapters/aws/sqs-object-work-queue.ts';
import { loadFeatureCatalog } from '#adapters/node/load-feature-catalog.ts';
import { loadSqlLibrary } from '#adapters/node/sql-files.ts';
import { parseSnowflakeConfig } from '#adapters/snowflake/config.ts';
import { createSnowflakeWarehouse } from '#adapters/snowflake/snowflake-warehouse.ts';
import { parseAssetDirs } from '#core/config/asset-env.ts';
import { parseErasureConfig } from '#core/erasure/config.ts';
import { jobSummary, runErasureJob } from '#core/erasure/erasure-job.ts';
import { ErasureError } from '#core/erasure/errors.ts';
import { ERASURE_METRICS_NAMESPACE, ERASURE_SERVICE } from '#core/erasure/metric-names.ts';

/**
 * Erasure Lambda (EventBridge schedule, daily; or invoked with `{ "action": "erase", "user_id": "..." }`):
 * sweeps late events of erased users and runs open requests, or erases one user now, then publishes the
 * request metrics. The objects of a request go one message each to the object queue, whose worker
 * (`erasure-objects.ts`) erases them, then searches them again for the verify step; a request waits at
 * its objects or verify step until they are done. `sql/` and `schemas/` ship beside the bundle. A request
 * that cannot finish fails the invocation (ErasureFailures alarm) and resumes on the next run. Logs carry request ids and counts only.
 */
const assets = parseAssetDirs(process.env, ['sql', 'schemas']);
const config = parseErasureConfig(process.env);
const warehouse = createSnowflakeWarehouse(parseSnowflakeConfig(process.env));
const library = loadSqlLibrary('snowflake', assets.sql);
const catalog = await loadFeatureCatalog(join(assets.schemas, 'features.json'));
const objects = new S3ObjectStore({
  client: new S3Client({}),
  bucket: config.bucket,
  versioned: config.bucketVersioned,
  stagingPrefix: config.stagingPrefix,
});
const logger = new Logger({ serviceName: ERASURE_SERVICE });
const metrics = new Metrics({ namespace: ERASURE_METRICS_NAMESPACE, serviceName: ERASURE_SERVICE });

export const handler = middy(async (event: unknown) => {
  const result = await runErasureJob(
    {
      warehouse,
      objects,
      catalog,
      library,
      settings: config.settings,
      ...(config.objectQueueUrl === undefined
        ? {}
        : { objectQueue: new SqsObjectWorkQueue(new SQSClient({}), config.objectQueueUrl) }),
      owner: `lambda-${process.env.AWS_LAMBDA_LOG_STREAM_NAME ?? 'local'}`,
      onProgress: ({ requestId, step, message }) => logger.info(message, { requestId, step }),
    },
    event,
  );
  for (const metric of result.metrics) metrics.addMetric(metric.name, MetricUnit.Count, metric.value);
  logger.info('erasure run', jobSummary(result));
  if (result.failed.length > 0)
    throw new ErasureError(
      `${result.failed.length} erasure request(s) could not finish; they resume on the next run`,
    );
  return { completed: result.completed, outcome: result.erase?.kind ?? null };
})
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics));
