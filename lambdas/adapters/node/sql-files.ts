import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { Dialect } from '#core/warehouse/ports.ts';
import { createSqlLibrary, type SqlLibrary, type SqlSource } from '#core/warehouse/sql-library.ts';

/** Every SQL file under `dir`, as paths without `.sql`, sorted. */
export const listSqlFiles = (dir: string): string[] => {
  const out: string[] = [];
  const walk = (folder: string): void => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const full = join(folder, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.sql'))
        out.push(
          relative(dir, full)
            .split(sep)
            .join('/')
            .replace(/\.sql$/, ''),
        );
    }
  };
  walk(dir);
  return out.sort();
};

/** The SQL files of a folder (the repository's `sql/`, or the copy shipped beside a Lambda bundle). */
export const sqlFilesIn = (dir: string): SqlSource => ({
  location: dir,
  list: () => listSqlFiles(dir),
  read: (path) => readFileSync(join(dir, `${path}.sql`), 'utf8'),
});

/** The library of the SQL files under `dir` for one dialect; files are read and rendered on first use. */
export const loadSqlLibrary = (dialect: Dialect, dir: string): SqlLibrary =>
  createSqlLibrary(dialect, sqlFilesIn(dir));
