import { join } from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { createTransformHandler } from '#adapters/aws/handlers/transform-handler.ts';
import { loadFeatureCatalog } from '#adapters/node/load-feature-catalog.ts';
import { loadSqlLibrary } from '#adapters/node/sql-files.ts';
import { parseSnowflakeConfig } from '#adapters/snowflake/config.ts';
import { createSnowflakeWarehouse } from '#adapters/snowflake/snowflake-warehouse.ts';
import { parseAssetDirs } from '#core/config/asset-env.ts';

/** Seconds a run keeps, after its last statement, to roll back and free the lock before the Lambda's timeout. */
const ROLLBACK_SECONDS = 30;

/**
 * Transform Lambda (EventBridge, every 5 minutes): one incremental run of the models on Snowflake, inside
 * the invocation's time: no statement starts later than one statement timeout plus the rollback before the
 * Lambda's deadline (the run rolls back instead), and the lock lives until that deadline plus a minute.
 * `sql/` and `schemas/` ship beside the bundle; the construct names both folders in ASSET_ENV.
 * A run that finds the previous one still holding the lock is skipped, not failed.
 */
const assets = parseAssetDirs(process.env, ['sql', 'schemas']);
const config = parseSnowflakeConfig(process.env);
const warehouse = createSnowflakeWarehouse(config);
const library = loadSqlLibrary('snowflake', assets.sql);
const catalog = await loadFeatureCatalog(join(assets.schemas, 'features.json'));
const logger = new Logger({ serviceName: 'tally-transform' });
const metrics = new Metrics({ namespace: 'Tally', serviceName: 'transform' });

/** Time kept after the last statement may start: one statement at most, then the rollback and the lock. */
const reserveMs = (config.statementTimeoutSeconds + ROLLBACK_SECONDS) * 1000;

const run = createTransformHandler({
  warehouse,
  catalog,
  library,
  logger,
  metrics: { addMetric: (name, unit, value) => metrics.addMetric(name, MetricUnit[unit], value) },
  reserveMs,
});

// wrapped like every other handler: the invocation's context on each log line, metrics flushed as EMF
export const handler = middy((_event: unknown, context: Context) => run(context))
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics));
