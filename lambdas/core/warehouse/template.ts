import { DIALECT_HELPERS, type DialectHelper, PARAM_MARKER } from './dialect.ts';
import { SqlTemplateError } from './errors.ts';
import type { Dialect } from './ports.ts';

/**
 * Renders the SQL files of `sql/` for one dialect.
 *
 * A file holds one SQL object: a single statement, or several named ones, each introduced by a line
 * `-- @statement <name>`. Templates `{{ helper(args) }}` are expanded with the helpers of `dialect.ts`;
 * `{{ param('name') }}` becomes a positional `?` and the statement remembers the parameter's name, so
 * callers bind values by name (`bindParams`). A bare `?` in a SQL file is an error: every run-time
 * value must be named.
 */

export interface RenderedStatement {
  /** File path under `sql/` without extension, e.g. `models/fct_feature_events`. */
  readonly file: string;
  /** Statement name from its `-- @statement` header, or the file's base name for single-statement files. */
  readonly name: string;
  readonly sql: string;
  /** Parameter names in the order of the `?` placeholders in `sql`. */
  readonly params: readonly string[];
}

export interface RenderedFile {
  readonly file: string;
  /** The whole file rendered, headers and comments included: what the golden files hold. */
  readonly text: string;
  readonly statements: readonly RenderedStatement[];
}

const HEADER = /^--\s*@statement\s+(\S+)\s*$/;
const STATEMENT_NAME = /^[a-z][a-z0-9_]*$/;

export const renderSqlFile = (file: string, source: string, dialect: Dialect): RenderedFile => {
  assertNoBareParams(file, source);
  const text = numberParams(expandTemplates(file, source, dialect)).sql;
  const statements = splitStatements(file, source).map(({ name, body }) => {
    const { sql, params } = numberParams(expandTemplates(file, body, dialect));
    return { file, name, sql, params };
  });
  return { file, text, statements };
};

const splitStatements = (file: string, source: string): { name: string; body: string }[] => {
  const lines = source.split('\n');
  const sections: { name: string; lines: string[] }[] = [];
  const preamble: string[] = [];
  for (const line of lines) {
    const header = HEADER.exec(line);
    if (header) {
      const name = header[1] ?? '';
      if (!STATEMENT_NAME.test(name)) throw new SqlTemplateError(`bad statement name '${name}'`, file);
      if (sections.some((s) => s.name === name))
        throw new SqlTemplateError(`statement '${name}' twice`, file);
      sections.push({ name, lines: [] });
    } else if (sections.length > 0) {
      sections.at(-1)?.lines.push(line);
    } else {
      preamble.push(line);
    }
  }
  if (sections.length === 0) {
    const base = file.split('/').at(-1) ?? file;
    return [{ name: base, body: cleanBody(file, base, preamble.join('\n')) }];
  }
  if (codeOnly(preamble.join('\n')).trim() !== '') {
    throw new SqlTemplateError('SQL before the first -- @statement header', file);
  }
  return sections.map((s) => ({ name: s.name, body: cleanBody(file, s.name, s.lines.join('\n')) }));
};

/** Drops comment-only lines at the edges and the final semicolon; refuses two statements in one section. */
const cleanBody = (file: string, name: string, body: string): string => {
  const sql = body.trim().replace(/;\s*$/, '');
  const code = codeOnly(sql);
  if (code.trim() === '') throw new SqlTemplateError(`statement '${name}' is empty`, file);
  if (code.includes(';'))
    throw new SqlTemplateError(`statement '${name}' holds more than one statement`, file);
  return sql;
};

/** The SQL with string literals and `--` comments blanked out, so checks only see code. */
const codeOnly = (sql: string): string => {
  let out = '';
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i];
    if (ch === "'") {
      const end = sql.indexOf("'", i + 1);
      i = end < 0 ? sql.length : end + 1;
      out += "''";
    } else if (ch === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i);
      i = end < 0 ? sql.length : end;
    } else {
      out += ch;
      i += 1;
    }
  }
  return out;
};

const assertNoBareParams = (file: string, source: string): void => {
  const code = codeOnly(source.replace(/\{\{[\s\S]*?\}\}/g, ''));
  if (code.includes('?')) throw new SqlTemplateError("bare '?' parameter: use {{ param('name') }}", file);
};

const expandTemplates = (file: string, sql: string, dialect: Dialect): string =>
  sql.replace(/\{\{([\s\S]*?)\}\}/g, (_match, body: string) => {
    const parser = new TemplateParser(file, body, dialect);
    const value = parser.parseCall();
    parser.expectEnd();
    return value;
  });

const numberParams = (sql: string): { sql: string; params: string[] } => {
  const params: string[] = [];
  const marker = new RegExp(`${PARAM_MARKER}([^${PARAM_MARKER}]*)${PARAM_MARKER}`, 'g');
  const out = sql.replace(marker, (_m, name: string) => {
    params.push(name);
    return '?';
  });
  return { sql: out, params };
};

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*/;
const PATH = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;
const COLUMNS = /^[A-Za-z_][A-Za-z0-9_]*(\s*,\s*[A-Za-z_][A-Za-z0-9_]*)*$/;

/** Recursive-descent parser for one `{{ ... }}` body: `name`, `name(arg, ...)`, args strings/ints/calls. */
class TemplateParser {
  private pos = 0;

  constructor(
    private readonly file: string,
    private readonly body: string,
    private readonly dialect: Dialect,
  ) {}

  parseCall(): string {
    this.skipSpace();
    const ident = IDENT.exec(this.body.slice(this.pos))?.[0];
    if (!ident) throw this.error('expected a helper name');
    this.pos += ident.length;
    const helper: DialectHelper | undefined = (DIALECT_HELPERS as Record<string, DialectHelper>)[ident];
    if (!helper) throw this.error(`unknown helper '${ident}' (helpers are listed in dialect.ts)`);
    this.skipSpace();
    const args: string[] = [];
    if (this.body[this.pos] === '(') {
      this.pos += 1;
      this.skipSpace();
      if (this.body[this.pos] !== ')') {
        for (;;) {
          args.push(this.parseArg());
          this.skipSpace();
          if (this.body[this.pos] === ',') {
            this.pos += 1;
            continue;
          }
          break;
        }
      }
      if (this.body[this.pos] !== ')') throw this.error(`expected ')' after the arguments of ${ident}`);
      this.pos += 1;
    }
    if (args.length !== helper.args.length) {
      throw this.error(`${ident} takes ${helper.args.length} argument(s), got ${args.length}`);
    }
    helper.args.forEach((kind, i) => {
      const arg = args[i] ?? '';
      if (kind === 'path' && !PATH.test(arg)) throw this.error(`${ident}: bad JSON path '${arg}'`);
      if (kind === 'columns' && !COLUMNS.test(arg)) throw this.error(`${ident}: bad column list '${arg}'`);
      if (kind === 'name' && !IDENT.test(arg)) throw this.error(`${ident}: bad name '${arg}'`);
    });
    return helper.render(this.dialect, args);
  }

  expectEnd(): void {
    this.skipSpace();
    if (this.pos !== this.body.length) throw this.error(`unexpected '${this.body.slice(this.pos)}'`);
  }

  private parseArg(): string {
    this.skipSpace();
    const rest = this.body.slice(this.pos);
    if (rest.startsWith("'")) {
      const literal = /^'((?:[^']|'')*)'/.exec(rest);
      if (!literal) throw this.error('unterminated string argument');
      this.pos += literal[0].length;
      return (literal[1] ?? '').replace(/''/g, "'");
    }
    const int = /^-?\d+/.exec(rest);
    if (int) {
      this.pos += int[0].length;
      return int[0];
    }
    return this.parseCall();
  }

  private skipSpace(): void {
    while (this.pos < this.body.length && /\s/.test(this.body[this.pos] ?? '')) this.pos += 1;
  }

  private error(message: string): SqlTemplateError {
    return new SqlTemplateError(`{{${this.body}}}: ${message}`, this.file);
  }
}
