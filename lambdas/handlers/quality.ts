import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { parseSnowflakeConfig } from '#adapters/snowflake/config.ts';
import { createSnowflakeWarehouse } from '#adapters/snowflake/snowflake-warehouse.ts';
import { EmfMetricsPublisher } from '#core/quality/emf-metrics-publisher.ts';
import { QUALITY_METRICS_NAMESPACE, QUALITY_SERVICE } from '#core/quality/metric-names.ts';
import { runQualityJob } from '#core/quality/quality-job.ts';
import { declaredChecks } from '#core/quality/registry.ts';
import { applyQualityDdl } from '#core/quality/results-writer.ts';
import { failingChecks, statusLine } from '#core/quality/verdict.ts';
import { createSqlLibrary } from '#core/warehouse/sql-library.ts';

/**
 * Quality Lambda (EventBridge schedule): every check against Snowflake, results into
 * OPS.QUALITY_RESULTS, metrics as EMF on stdout (namespace Tally, service quality) for the alarms.
 * Failing checks are data, not errors: the function only fails when it cannot reach the warehouse.
 */
const here = dirname(fileURLToPath(import.meta.url));
const root = existsSync(join(here, 'sql')) ? here : join(here, '..', '..');
const warehouse = createSnowflakeWarehouse(parseSnowflakeConfig(process.env));
const sql = createSqlLibrary('snowflake', join(root, 'sql'));
const publisher = new EmfMetricsPublisher(
  new Metrics({ namespace: QUALITY_METRICS_NAMESPACE, serviceName: QUALITY_SERVICE }),
);
const logger = new Logger({ serviceName: 'tally-quality' });
const checks = declaredChecks();
/** Idempotent; a role without CREATE rights still runs the checks when the setup created the tables. */
const ready = applyQualityDdl(warehouse, sql).catch((error: unknown) =>
  logger.warn('quality tables not created here; they must exist', { error: String(error) }),
);

export const handler = async (): Promise<{ runId: string; status: string }> => {
  await ready;
  const run = await runQualityJob({ warehouse, checks, sql, publisher });
  for (const error of run.errors)
    logger.error('check could not run', { check: error.check, error: error.message });
  logger.info('quality run', { runId: run.runId, status: statusLine(run), failing: failingChecks(run) });
  return { runId: run.runId, status: statusLine(run) };
};
