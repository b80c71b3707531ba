import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SqlTemplateError } from './errors.ts';
import type { Dialect } from './ports.ts';
import { type RenderedFile, type RenderedStatement, renderSqlFile, type SqlTemplate } from './template.ts';

/** `sql/` at the repository root (the Lambda bundle ships the folder next to the handler and passes its path). */
export const DEFAULT_SQL_DIR = fileURLToPath(new URL('../../../sql/', import.meta.url));

/** The SQL files of `sql/`, rendered for one dialect on first use and cached. */
export interface SqlLibrary {
  readonly dialect: Dialect;
  /** Folder the files are read from. */
  readonly dir: string;
  /** Paths (without `.sql`) of the files under `prefix` (e.g. `ddl/`), sorted. */
  files(prefix?: string): string[];
  /** A whole file, by path under `sql/` without `.sql` (e.g. `models/fct_feature_events`). */
  file(path: string): RenderedFile;
  /** One statement of a file; `name` may be omitted for single-statement files. */
  statement(path: string, name?: string): RenderedStatement;
  /** One `-- @template` section of a file, to fill with `fillTemplate`. */
  template(path: string, name: string): SqlTemplate;
}

export const createSqlLibrary = (dialect: Dialect, dir: string = DEFAULT_SQL_DIR): SqlLibrary => {
  const cache = new Map<string, RenderedFile>();
  const file = (path: string): RenderedFile => {
    let rendered = cache.get(path);
    if (!rendered) {
      let source: string;
      try {
        source = readFileSync(join(dir, `${path}.sql`), 'utf8');
      } catch (cause) {
        throw new SqlTemplateError(`cannot read ${join(dir, `${path}.sql`)}: ${String(cause)}`, path);
      }
      rendered = renderSqlFile(path, source, dialect);
      cache.set(path, rendered);
    }
    return rendered;
  };
  const statement = (path: string, name?: string): RenderedStatement => {
    const { statements } = file(path);
    const found =
      name === undefined && statements.length === 1 ? statements[0] : statements.find((s) => s.name === name);
    if (!found) {
      const names = statements.map((s) => s.name).join(', ');
      throw new SqlTemplateError(`no statement '${name ?? '(single)'}' (has: ${names})`, path);
    }
    return found;
  };
  const template = (path: string, name: string): SqlTemplate => {
    const { templates } = file(path);
    const found = templates.find((t) => t.name === name);
    if (!found) {
      const names = templates.map((t) => t.name).join(', ');
      throw new SqlTemplateError(`no template '${name}' (has: ${names})`, path);
    }
    return found;
  };
  const files = (prefix = ''): string[] => listSqlFiles(dir).filter((f) => f.startsWith(prefix));
  return { dialect, dir, file, statement, template, files };
};

/** Every SQL file under `dir`, as paths without `.sql`, sorted. */
export const listSqlFiles = (dir: string = DEFAULT_SQL_DIR): string[] => {
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

const defaults = new Map<Dialect, SqlLibrary>();

/** The repository's `sql/` library for a dialect, shared by every caller in the process. */
export const defaultSqlLibrary = (dialect: Dialect): SqlLibrary => {
  let library = defaults.get(dialect);
  if (!library) {
    library = createSqlLibrary(dialect);
    defaults.set(dialect, library);
  }
  return library;
};
