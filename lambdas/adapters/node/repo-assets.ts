import { fileURLToPath } from 'node:url';

/**
 * The repository's SQL folder, for composition roots that run from the source tree (local mode, the
 * CLI, benchmarks, scripts, tests). A Lambda never uses these: its construct ships the folders beside the
 * bundle and names them in its environment (ASSET_ENV).
 */
export const REPO_SQL_DIR = fileURLToPath(new URL('../../../sql/', import.meta.url));
