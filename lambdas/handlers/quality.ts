import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import middy from '@middy/core';
import {
  CLOUDWATCH_SETTLE_MINUTES,
  CloudWatchAcceptedCounts,
} from '#adapters/aws/cloudwatch-accepted-counts.ts';
import { EmfMetricsPublisher } from '#adapters/aws/emf-metrics-publisher.ts';
import { createQualityHandler } from '#adapters/aws/handlers/quality-handler.ts';
import { loadSqlLibrary } from '#adapters/node/sql-files.ts';
import { parseSnowflakeConfig } from '#adapters/snowflake/config.ts';
import { createSnowflakeWarehouse } from '#adapters/snowflake/snowflake-warehouse.ts';
import { parseAssetDirs } from '#core/config/asset-env.ts';
import { RECONCILIATION_DEFAULTS } from '#core/quality/checks/reconciliation.ts';
import { QUALITY_METRICS_NAMESPACE, QUALITY_SERVICE } from '#core/quality/metric-names.ts';
import { declaredChecks } from '#core/quality/registry.ts';

/**
 * Quality Lambda (EventBridge schedule): every check against Snowflake, results into
 * OPS.QUALITY_RESULTS, metrics as EMF on stdout (namespace Tally, service quality) for the alarms;
 * the reconciliation's collector leg reads the collector's AcceptedEvents metric from CloudWatch.
 */
const assets = parseAssetDirs(process.env, ['sql']);
const warehouse = createSnowflakeWarehouse(parseSnowflakeConfig(process.env));
const sql = loadSqlLibrary('snowflake', assets.sql);
const logger = new Logger({ serviceName: 'tally-quality' });

// wrapped like every other handler: the invocation's context on each log line
export const handler = middy(
  createQualityHandler({
    warehouse,
    sql,
    checks: declaredChecks({
      reconciliation: { ...RECONCILIATION_DEFAULTS, rawSettleMinutes: CLOUDWATCH_SETTLE_MINUTES },
    }),
    publisher: new EmfMetricsPublisher(
      new Metrics({ namespace: QUALITY_METRICS_NAMESPACE, serviceName: QUALITY_SERVICE }),
    ),
    acceptedCounts: new CloudWatchAcceptedCounts(new CloudWatchClient({})),
    logger,
  }),
).use(injectLambdaContext(logger));
