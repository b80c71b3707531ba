import { REPO_SQL_DIR } from '#adapters/node/repo-assets.ts';
import { loadSqlLibrary } from '#adapters/node/sql-files.ts';
import type { Dialect } from '#core/warehouse/ports.ts';
import type { SqlLibrary } from '#core/warehouse/sql-library.ts';

const libraries = new Map<Dialect, SqlLibrary>();

/** The repository's `sql/` for a dialect, built once per test file (every spec reads the same files). */
export const testSqlLibrary = (dialect: Dialect): SqlLibrary => {
  let library = libraries.get(dialect);
  if (library === undefined) {
    library = loadSqlLibrary(dialect, REPO_SQL_DIR);
    libraries.set(dialect, library);
  }
  return library;
};

/** The DuckDB rendering, what the specs run on. */
export const duckdbSql = testSqlLibrary('duckdb');
