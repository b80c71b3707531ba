import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { S3Client } from '@aws-sdk/client-s3';
import middy from '@middy/core';
import { createObjectWorkHandler } from '#adapters/aws/erasure-objects-handler.ts';
import { S3ObjectStore } from '#adapters/aws/s3-object-store.ts';
import { loadSqlLibrary } from '#adapters/node/sql-files.ts';
import { parseSnowflakeConfig } from '#adapters/snowflake/config.ts';
import { createSnowflakeWarehouse } from '#adapters/snowflake/snowflake-warehouse.ts';
import { parseAssetDirs } from '#core/config/asset-env.ts';
import { parseErasureConfig } from '#core/erasure/config.ts';
import { erasureContext } from '#core/erasure/erasure-runner.ts';
import { ERASURE_SERVICE } from '#core/erasure/metric-names.ts';
import { processObjectWork } from '#core/erasure/object-work.ts';

/**
 * Erasure object worker (SQS FIFO event source): erases one request's subject from one raw object per
 * message, or searches it (a verify item). The scheduled erasure Lambda lists the objects and waits for
 * them; `sql/` ships beside the bundle (TALLY_SQL_DIR, set by its construct).
 */
const assets = parseAssetDirs(process.env, ['sql']);
const config = parseErasureConfig(process.env);
const warehouse = createSnowflakeWarehouse(parseSnowflakeConfig(process.env));
const library = loadSqlLibrary('snowflake', assets.sql);
const objects = new S3ObjectStore({
  client: new S3Client({}),
  bucket: config.bucket,
  versioned: config.bucketVersioned,
  stagingPrefix: config.stagingPrefix,
});
const logger = new Logger({ serviceName: `${ERASURE_SERVICE}-objects` });
// The worker never runs models: the catalog is the erasure runner's, not needed here.
const ctx = erasureContext({ warehouse, objects, library, catalog: { features: [] } });

export const handler = middy(createObjectWorkHandler((item) => processObjectWork(ctx, item), logger)).use(
  injectLambdaContext(logger),
);
