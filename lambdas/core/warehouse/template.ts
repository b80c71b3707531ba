import { DIALECT_HELPERS, type DialectHelper, JSON_PARAM_FLAG, PARAM_MARKER } from './dialect.ts';
import { SqlTemplateError } from './errors.ts';
import type { Dialect } from './ports.ts';
import { FIELD_TYPES, SQL_FRAGMENTS } from './sql-fragments.ts';

/**
 * Renders the SQL files of `sql/` for one dialect.
 *
 * A file holds one SQL object: a single statement, or several named ones, each introduced by a line
 * `-- @statement <name>`. Templates `{{ helper(args) }}` are expanded with the helpers of `dialect.ts`
 * (where the dialects differ) and the fragments of `sql-fragments.ts` (SQL the models share);
 * `{{ param('name') }}` becomes a positional `?` and the statement remembers the parameter's name, so
 * callers bind values by name (`bindParams`). A bare `?` in a SQL file is an error: every run-time
 * value must be named.
 *
 * A section introduced by `-- @template <name>` is a statement for many tables: `{{ slot('name') }}` stands
 * for an identifier (or a list of them) the caller declares, and lines between `-- @if <slot>` and
 * `-- @end` are kept only when that slot is filled. A choice slot picks one variant of a statement: lines
 * between `-- @if <slot> = <value>` and `-- @end` are kept only when the slot holds that value, and the
 * slot must hold one of the values its `-- @if` lines name (so no variant is ever silently left out).
 * `fillTemplate` turns it into a statement, accepting nothing but plain identifiers, so declarations in
 * code never put SQL text in a statement.
 */

export interface RenderedStatement {
  /** File path under `sql/` without extension, e.g. `models/fct_feature_events`. */
  readonly file: string;
  /** Statement name from its `-- @statement` header, or the file's base name for single-statement files. */
  readonly name: string;
  readonly sql: string;
  /** Parameter names in the order of the `?` placeholders in `sql`. */
  readonly params: readonly string[];
  /** The parameters whose value is JSON text (`json_parse` / `json_rows` arguments); absent when none. */
  readonly jsonParams?: readonly string[];
}

/** A `-- @template` section: a statement with slots, made runnable by {@link fillTemplate}. */
export interface SqlTemplate {
  readonly file: string;
  readonly name: string;
  readonly dialect: Dialect;
  /** The section's source, rendered when filled. */
  readonly body: string;
  /** The slots the body names (`{{ slot() }}` and `-- @if`). */
  readonly slots: readonly string[];
  /** The choice slots (`-- @if <slot> = <value>`) and the values their blocks name. */
  readonly choices: Readonly<Record<string, readonly string[]>>;
}

export interface RenderedFile {
  readonly file: string;
  /** The whole file rendered, headers and comments included: what the golden files hold. */
  readonly text: string;
  readonly statements: readonly RenderedStatement[];
  readonly templates: readonly SqlTemplate[];
}

/** Slot values: an identifier (`schema.table`, `column`) or a list of them; undefined leaves the slot empty. */
export type SlotValues = Readonly<Record<string, string | readonly string[] | undefined>>;

const HEADER = /^--\s*@(statement|template)\s+(\S+)\s*$/;
const STATEMENT_NAME = /^[a-z][a-z0-9_]*$/;
const IF_SLOT = /^\s*--\s*@if\s+([^\s=]+)(?:\s*=\s*(\S+))?\s*$/;
const END_IF = /^\s*--\s*@end\s*$/;

/** How `{{ slot('name') }}` renders: its value when filling, itself in the file's text, an error in a statement. */
type SlotRenderer = (name: string) => string;

const showSlot: SlotRenderer = (name) => `{{ slot('${name}') }}`;

export const renderSqlFile = (file: string, source: string, dialect: Dialect): RenderedFile => {
  assertNoBareParams(file, source);
  const text = numberParams(expandTemplates(file, source, dialect, showSlot)).sql;
  const sections = splitSections(file, source);
  const noSlots: SlotRenderer = (name) => {
    throw new SqlTemplateError(`slot('${name}') outside a -- @template section`, file);
  };
  const statements = sections
    .filter((s) => s.kind === 'statement')
    .map(({ name, body }) => {
      return { file, name, ...numberParams(expandTemplates(file, body, dialect, noSlots)) };
    });
  const templates = sections
    .filter((s) => s.kind === 'template')
    .map(({ name, body }) => ({ file, name, dialect, body, ...slotsOf(file, name, body, dialect) }));
  return { file, text, statements, templates };
};

/**
 * The statement a template makes for one set of slot values. Every value must be a plain identifier or a
 * list of them (joined with `, `); a slot the kept lines use must be filled, a choice slot must hold one of
 * its values, and an unknown slot is an error.
 */
export const fillTemplate = (template: SqlTemplate, values: SlotValues): RenderedStatement => {
  const { file, name } = template;
  const unknown = Object.keys(values).filter((slot) => !template.slots.includes(slot));
  if (unknown.length > 0)
    throw new SqlTemplateError(`template '${name}' has no slot ${unknown.join(', ')}`, file);
  for (const [slot, options] of Object.entries(template.choices)) {
    const value = values[slot];
    if (typeof value !== 'string' || !options.includes(value)) {
      throw new SqlTemplateError(
        `template '${name}': slot '${slot}' is one of ${options.join(', ')}, not ${JSON.stringify(value)}`,
        file,
      );
    }
  }
  const fill: SlotRenderer = (slot) => {
    const value = values[slot];
    if (value === undefined) throw new SqlTemplateError(`template '${name}' needs slot '${slot}'`, file);
    const parts = typeof value === 'string' ? [value] : value;
    if (parts.length === 0 || !parts.every((part) => PATH.test(part))) {
      throw new SqlTemplateError(
        `template '${name}': slot '${slot}' takes identifiers, not ${JSON.stringify(value)}`,
        file,
      );
    }
    return parts.join(', ');
  };
  const body = keptLines(file, name, template.body, (slot, value) =>
    value === undefined ? values[slot] !== undefined : values[slot] === value,
  );
  return { file, name, ...numberParams(expandTemplates(file, body, template.dialect, fill)) };
};

type SectionKind = 'statement' | 'template';

const splitSections = (file: string, source: string): { kind: SectionKind; name: string; body: string }[] => {
  const sections: { kind: SectionKind; name: string; lines: string[] }[] = [];
  const preamble: string[] = [];
  for (const line of source.split('\n')) {
    const header = HEADER.exec(line);
    if (header) {
      const kind = header[1] === 'template' ? 'template' : 'statement';
      const name = header[2] ?? '';
      if (!STATEMENT_NAME.test(name)) throw new SqlTemplateError(`bad ${kind} name '${name}'`, file);
      if (sections.some((s) => s.name === name))
        throw new SqlTemplateError(`statement '${name}' twice`, file);
      sections.push({ kind, name, lines: [] });
    } else if (sections.length > 0) {
      sections.at(-1)?.lines.push(line);
    } else {
      preamble.push(line);
    }
  }
  if (sections.length === 0) {
    sections.push({ kind: 'statement', name: file.split('/').at(-1) ?? file, lines: preamble });
  } else if (codeOnly(preamble.join('\n')).trim() !== '') {
    throw new SqlTemplateError('SQL before the first -- @statement header', file);
  }
  return sections.map(({ kind, name, lines }) => {
    if (kind === 'statement' && lines.some((l) => IF_SLOT.test(l) || END_IF.test(l))) {
      throw new SqlTemplateError(`statement '${name}': -- @if belongs in a -- @template section`, file);
    }
    return { kind, name, body: cleanBody(file, name, lines.join('\n')) };
  });
};

/**
 * The lines of a template body its slots keep: `-- @if <slot>` ... `-- @end` needs the slot filled, and
 * `-- @if <slot> = <value>` ... `-- @end` needs it to hold that value (no nesting).
 */
const keptLines = (
  file: string,
  name: string,
  body: string,
  keep: (slot: string, value: string | undefined) => boolean,
): string => {
  const kept: string[] = [];
  let open: string | null = null;
  let keeping = true;
  for (const line of body.split('\n')) {
    const ifLine = IF_SLOT.exec(line);
    if (ifLine) {
      const ifSlot = ifLine[1] ?? '';
      const value = ifLine[2];
      if (open !== null)
        throw new SqlTemplateError(`template '${name}': -- @if ${ifSlot} inside -- @if ${open}`, file);
      if (!IDENT_ONLY.test(ifSlot))
        throw new SqlTemplateError(`template '${name}': bad slot '${ifSlot}'`, file);
      if (value !== undefined && !IDENT_ONLY.test(value))
        throw new SqlTemplateError(`template '${name}': bad value '${value}' of slot '${ifSlot}'`, file);
      open = ifSlot;
      keeping = keep(ifSlot, value);
    } else if (END_IF.test(line)) {
      if (open === null) throw new SqlTemplateError(`template '${name}': -- @end without -- @if`, file);
      open = null;
      keeping = true;
    } else if (keeping) {
      kept.push(line);
    }
  }
  if (open !== null) throw new SqlTemplateError(`template '${name}': -- @if ${open} has no -- @end`, file);
  return kept.join('\n');
};

/** Every slot a template names and the values of its choice slots, checking its `-- @if` blocks and helpers. */
const slotsOf = (
  file: string,
  name: string,
  body: string,
  dialect: Dialect,
): Pick<SqlTemplate, 'slots' | 'choices'> => {
  const slots = new Set<string>();
  const choices: Record<string, string[]> = {};
  const keepAll = (slot: string, value: string | undefined): boolean => {
    slots.add(slot);
    if (value !== undefined) {
      const values = choices[slot] ?? [];
      if (!values.includes(value)) choices[slot] = [...values, value];
    }
    return true;
  };
  const show: SlotRenderer = (slot) => {
    slots.add(slot);
    return showSlot(slot);
  };
  expandTemplates(file, keptLines(file, name, body, keepAll), dialect, show);
  return { slots: [...slots], choices };
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

const expandTemplates = (file: string, sql: string, dialect: Dialect, slot: SlotRenderer): string =>
  sql.replace(/\{\{([\s\S]*?)\}\}/g, (_match, body: string) => {
    const parser = new TemplateParser(file, body, dialect, slot);
    const value = parser.parseCall();
    parser.expectEnd();
    return value;
  });

const numberParams = (sql: string): Pick<RenderedStatement, 'sql' | 'params' | 'jsonParams'> => {
  const params: string[] = [];
  const jsonParams = new Set<string>();
  const marker = new RegExp(`${PARAM_MARKER}([^${PARAM_MARKER}]*)${PARAM_MARKER}`, 'g');
  const out = sql.replace(marker, (_m, flagged: string) => {
    const name = flagged.startsWith(JSON_PARAM_FLAG) ? flagged.slice(JSON_PARAM_FLAG.length) : flagged;
    if (name !== flagged) jsonParams.add(name);
    params.push(name);
    return '?';
  });
  return { sql: out, params, ...(jsonParams.size > 0 ? { jsonParams: [...jsonParams] } : {}) };
};

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*/;
const IDENT_ONLY = /^[A-Za-z_][A-Za-z0-9_]*$/;
const PATH = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;
const COLUMNS = /^[A-Za-z_][A-Za-z0-9_]*(\s*,\s*[A-Za-z_][A-Za-z0-9_]*)*$/;
/** A field list: `name [type]`, comma-separated (the types are FIELD_TYPES); `json_columns` names are JSON paths. */
const TYPE = `(\\s+(${Object.keys(FIELD_TYPES).join('|')}))?`;
const fieldList = (name: string): RegExp => new RegExp(`^\\s*${name}${TYPE}(\\s*,\\s*${name}${TYPE})*\\s*$`);
const FIELDS = fieldList('[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*');
const PARAMS = fieldList('[A-Za-z_][A-Za-z0-9_]*');
const FIELD_LIST_FORM = `[${Object.keys(FIELD_TYPES).join('|')}], comma-separated`;

/** Everything `{{ name(...) }}` may call: the dialect helpers and the shared fragments. */
const HELPERS: Readonly<Record<string, DialectHelper>> = { ...DIALECT_HELPERS, ...SQL_FRAGMENTS };

/** `{{ slot('name') }}`: rendered by the parser's SlotRenderer, not by a dialect. */
const SLOT: DialectHelper = { args: ['name'], render: () => '' };

/** Recursive-descent parser for one `{{ ... }}` body: `name`, `name(arg, ...)`, args strings/ints/calls. */
class TemplateParser {
  private pos = 0;

  constructor(
    private readonly file: string,
    private readonly body: string,
    private readonly dialect: Dialect,
    private readonly slot: SlotRenderer,
  ) {}

  parseCall(nested = false): string {
    this.skipSpace();
    const ident = IDENT.exec(this.body.slice(this.pos))?.[0];
    if (!ident) throw this.error('expected a helper name');
    this.pos += ident.length;
    if (ident === 'slot' && nested) throw this.error('slot() stands alone, not as a helper argument');
    const helper: DialectHelper | undefined =
      ident === 'slot' ? SLOT : (HELPERS as Record<string, DialectHelper>)[ident];
    if (!helper)
      throw this.error(`unknown helper '${ident}' (helpers are listed in dialect.ts and sql-fragments.ts)`);
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
      if (kind === 'fields' && !FIELDS.test(arg))
        throw this.error(`${ident}: bad field list '${arg}' (path ${FIELD_LIST_FORM})`);
      if (kind === 'params' && !PARAMS.test(arg))
        throw this.error(`${ident}: bad parameter list '${arg}' (name ${FIELD_LIST_FORM})`);
    });
    if (ident !== 'slot') return helper.render(this.dialect, args);
    const slot = args[0] ?? '';
    if (!IDENT_ONLY.test(slot)) throw this.error(`bad slot name '${slot}'`);
    return this.slot(slot);
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
    return this.parseCall(true);
  }

  private skipSpace(): void {
    while (this.pos < this.body.length && /\s/.test(this.body[this.pos] ?? '')) this.pos += 1;
  }

  private error(message: string): SqlTemplateError {
    return new SqlTemplateError(`{{${this.body}}}: ${message}`, this.file);
  }
}
