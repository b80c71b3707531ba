import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { parseSnowflakeConfig } from '#adapters/snowflake/config.ts';
import { createSnowflakeWarehouse } from '#adapters/snowflake/snowflake-warehouse.ts';
import { loadFeatureCatalog } from '#core/schema/load-feature-catalog.ts';
import { TransformLockedError } from '#core/warehouse/errors.ts';
import { runIncremental } from '#core/warehouse/runner.ts';
import { createSqlLibrary } from '#core/warehouse/sql-library.ts';

/** Seconds a run keeps, after its last statement, to roll back and free the lock before the Lambda's timeout. */
const ROLLBACK_SECONDS = 30;

/**
 * Transform Lambda (EventBridge, every 5 minutes): one incremental run of the models on Snowflake, inside
 * the invocation's time: no statement starts later than one statement timeout plus the rollback before the
 * Lambda's deadline (the run rolls back instead), and the lock lives until that deadline plus a minute.
 * `sql/` and `schemas/` ship beside the bundle (copyDirectories); from source, the repository root.
 * A run that finds the previous one still holding the lock is skipped, not failed.
 */
const here = dirname(fileURLToPath(import.meta.url));
const root = existsSync(join(here, 'sql')) ? here : join(here, '..', '..');
const config = parseSnowflakeConfig(process.env);
const warehouse = createSnowflakeWarehouse(config);
const library = createSqlLibrary('snowflake', join(root, 'sql'));
const catalog = await loadFeatureCatalog(join(root, 'schemas', 'features.json'));
const logger = new Logger({ serviceName: 'tally-transform' });

/** Time kept after the last statement may start: one statement at most, then the rollback and the lock. */
const reserveMs = (config.statementTimeoutSeconds + ROLLBACK_SECONDS) * 1000;

export const handler = async (_event: unknown, context: Pick<Context, 'getRemainingTimeInMillis'>) => {
  const deadline = { at: new Date(Date.now() + context.getRemainingTimeInMillis()), reserveMs };
  try {
    const { runId, models } = await runIncremental({ warehouse, catalog, library, deadline });
    logger.info('transform run', { runId, models: models.map(({ loads: _loads, ...m }) => m) });
  } catch (error) {
    if (!(error instanceof TransformLockedError)) throw error;
    logger.warn('transform skipped: lock held', { owner: error.owner, expiresAt: error.expiresAt });
  }
};
