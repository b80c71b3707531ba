import { SqlTemplateError } from './errors.ts';
import type { Dialect } from './ports.ts';
import { type RenderedFile, type RenderedStatement, renderSqlFile, type SqlTemplate } from './template.ts';

/**
 * Where the SQL files come from (the port): `sql/` read from disk by `#adapters/node/sql-files.ts`, or
 * any other store of the same files. Paths are relative to `sql/`, without `.sql`.
 */
export interface SqlSource {
  /** Where the files are, for messages (a folder). */
  readonly location: string;
  /** Every file's path, sorted. */
  list(): string[];
  /** A file's text; throws when there is none. */
  read(path: string): string;
}

/** The SQL files of `sql/`, rendered for one dialect on first use and cached. */
export interface SqlLibrary {
  readonly dialect: Dialect;
  /** Where the files are read from, for messages. */
  readonly location: string;
  /** Paths (without `.sql`) of the files under `prefix` (e.g. `ddl/`), sorted. */
  files(prefix?: string): string[];
  /** A whole file, by path under `sql/` without `.sql` (e.g. `models/fct_feature_events`). */
  file(path: string): RenderedFile;
  /** One statement of a file; `name` may be omitted for single-statement files. */
  statement(path: string, name?: string): RenderedStatement;
  /** One `-- @template` section of a file, to fill with `fillTemplate`. */
  template(path: string, name: string): SqlTemplate;
}

/**
 * The library of `source` for one dialect. Build it once in a composition root (a handler, the local
 * stack, a test) and pass it to every core function that runs SQL: there is no process-wide default.
 */
export const createSqlLibrary = (dialect: Dialect, source: SqlSource): SqlLibrary => {
  const cache = new Map<string, RenderedFile>();
  const file = (path: string): RenderedFile => {
    let rendered = cache.get(path);
    if (!rendered) {
      let text: string;
      try {
        text = source.read(path);
      } catch (cause) {
        throw new SqlTemplateError(`cannot read ${path}.sql in ${source.location}: ${String(cause)}`, path);
      }
      rendered = renderSqlFile(path, text, dialect);
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
  const files = (prefix = ''): string[] => source.list().filter((f) => f.startsWith(prefix));
  return { dialect, location: source.location, file, statement, template, files };
};
