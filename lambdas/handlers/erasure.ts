import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { S3Client } from '@aws-sdk/client-s3';
import middy from '@middy/core';
import { S3ObjectStore } from '#adapters/aws/s3-object-store.ts';
import { loadFeatureCatalog } from '#adapters/node/load-feature-catalog.ts';
import { parseSnowflakeConfig } from '#adapters/snowflake/config.ts';
import { createSnowflakeWarehouse } from '#adapters/snowflake/snowflake-warehouse.ts';
import { parseErasureConfig } from '#core/erasure/config.ts';
import { applyErasureDdl } from '#core/erasure/ddl.ts';
import { jobSummary, runErasureJob } from '#core/erasure/erasure-job.ts';
import { ErasureError } from '#core/erasure/errors.ts';
import { ERASURE_METRICS_NAMESPACE, ERASURE_SERVICE } from '#core/erasure/metric-names.ts';
import { createSqlLibrary, DEFAULT_SQL_DIR } from '#core/warehouse/sql-library.ts';

/**
 * Erasure Lambda (EventBridge schedule, daily; or invoked with `{ "action": "erase", "user_id": "..." }`):
 * sweeps late events of erased users and runs open requests, or erases one user now, then publishes the
 * request metrics. `sql/` and `schemas/` ship beside the bundle. A request that cannot finish fails the
 * invocation (ErasureFailures alarm) and resumes on the next run. Logs carry request ids and counts only.
 */
const here = dirname(fileURLToPath(import.meta.url));
const config = parseErasureConfig(process.env);
const warehouse = createSnowflakeWarehouse(parseSnowflakeConfig(process.env));
const library = createSqlLibrary(
  'snowflake',
  existsSync(join(here, 'sql')) ? join(here, 'sql') : DEFAULT_SQL_DIR,
);
const catalog = await loadFeatureCatalog(
  join(existsSync(join(here, 'schemas')) ? here : process.cwd(), 'schemas', 'features.json'),
);
const objects = new S3ObjectStore({
  client: new S3Client({}),
  bucket: config.bucket,
  versioned: config.bucketVersioned,
  stagingPrefix: config.stagingPrefix,
});
const logger = new Logger({ serviceName: ERASURE_SERVICE });
const metrics = new Metrics({ namespace: ERASURE_METRICS_NAMESPACE, serviceName: ERASURE_SERVICE });
let ddl: Promise<void> | undefined;

export const handler = middy(async (event: unknown) => {
  ddl ??= applyErasureDdl(warehouse, library).catch((error: unknown) => {
    ddl = undefined;
    throw error;
  });
  await ddl;
  const result = await runErasureJob(
    {
      warehouse,
      objects,
      catalog,
      library,
      settings: config.settings,
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
