import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Logger } from '@aws-lambda-powertools/logger';
import { parseSnowflakeConfig } from '#adapters/snowflake/config.ts';
import { createSnowflakeWarehouse } from '#adapters/snowflake/snowflake-warehouse.ts';
import { loadFeatureCatalog } from '#core/schema/load-feature-catalog.ts';
import { TransformLockedError } from '#core/warehouse/errors.ts';
import { runIncremental } from '#core/warehouse/runner.ts';
import { createSqlLibrary } from '#core/warehouse/sql-library.ts';

/**
 * Transform Lambda (EventBridge, every 5 minutes): one incremental run of the models on Snowflake.
 * `sql/` and `schemas/` ship beside the bundle (copyDirectories); from source, the repository root.
 * A run that finds the previous one still holding the lock is skipped, not failed.
 */
const here = dirname(fileURLToPath(import.meta.url));
const root = existsSync(join(here, 'sql')) ? here : join(here, '..', '..');
const warehouse = createSnowflakeWarehouse(parseSnowflakeConfig(process.env));
const library = createSqlLibrary('snowflake', join(root, 'sql'));
const catalog = await loadFeatureCatalog(join(root, 'schemas', 'features.json'));
const logger = new Logger({ serviceName: 'tally-transform' });

export const handler = async (): Promise<void> => {
  try {
    const { runId, models } = await runIncremental({ warehouse, catalog, library });
    logger.info('transform run', { runId, models: models.map(({ loads: _loads, ...m }) => m) });
  } catch (error) {
    if (!(error instanceof TransformLockedError)) throw error;
    logger.warn('transform skipped: lock held', { owner: error.owner, expiresAt: error.expiresAt });
  }
};
