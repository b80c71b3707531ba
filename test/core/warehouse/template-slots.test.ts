import { SqlTemplateError } from '#core/warehouse/errors.ts';
import { fillTemplate, renderSqlFile, type SqlTemplate } from '#core/warehouse/template.ts';
import { testSqlLibrary } from '#test/support/sql-library.ts';

const SOURCE = [
  '-- @statement count_all',
  'SELECT COUNT(*) FROM raw.events;',
  '',
  '-- @template count_rows',
  "SELECT {{ slot('columns') }}, COUNT(*) AS n",
  "FROM {{ slot('table') }} t",
  '-- @if since_column',
  "WHERE t.{{ slot('since_column') }} >= CAST({{ param('since') }} AS {{ type_ts }})",
  '-- @end',
  "GROUP BY {{ slot('columns') }};",
].join('\n');

const template = (dialect: 'snowflake' | 'duckdb' = 'duckdb'): SqlTemplate => {
  const { templates } = renderSqlFile('quality/example', SOURCE, dialect);
  expect(templates).toHaveLength(1);
  return templates[0]!;
};

describe('SQL templates with slots', () => {
  it('keeps a template out of the runnable statements and shows its slots in the rendered text', () => {
    const file = renderSqlFile('quality/example', SOURCE, 'snowflake');
    expect(file.statements.map((s) => s.name)).toEqual(['count_all']);
    expect(file.templates.map((t) => [t.name, t.slots])).toEqual([
      ['count_rows', ['since_column', 'columns', 'table']],
    ]);
    expect(file.text).toContain("FROM {{ slot('table') }} t\n-- @if since_column\n");
    expect(file.text).toContain('CAST(? AS TIMESTAMP_NTZ)');
  });

  it('fills slots with identifiers and keeps an -- @if block only when its slot is filled', () => {
    expect(
      fillTemplate(template('snowflake'), {
        table: 'raw.events',
        columns: ['source_id', 'event_name'],
        since_column: 'loaded_at',
      }),
    ).toEqual({
      file: 'quality/example',
      name: 'count_rows',
      sql: [
        'SELECT source_id, event_name, COUNT(*) AS n',
        'FROM raw.events t',
        'WHERE t.loaded_at >= CAST(? AS TIMESTAMP_NTZ)',
        'GROUP BY source_id, event_name',
      ].join('\n'),
      params: ['since'],
    });
    expect(fillTemplate(template(), { table: 'ops.watermarks', columns: ['model_name'] })).toMatchObject({
      sql: 'SELECT model_name, COUNT(*) AS n\nFROM ops.watermarks t\nGROUP BY model_name',
      params: [],
    });
  });

  it.each([
    [{ table: 'raw.events; DROP TABLE raw.events', columns: 'a' }, 'takes identifiers'],
    [{ table: 'raw.events', columns: ["a', 'b"] }, 'takes identifiers'],
    [{ table: 'raw.events', columns: [] }, 'takes identifiers'],
    [{ table: 'raw.events' }, "needs slot 'columns'"],
    [{ table: 'raw.events', columns: 'a', since_colum: 'b' }, 'has no slot since_colum'],
  ])('refuses slot values %j', (values, message) => {
    expect(() => fillTemplate(template(), values)).toThrow(SqlTemplateError);
    expect(() => fillTemplate(template(), values)).toThrow(`quality/example: template 'count_rows`);
    expect(() => fillTemplate(template(), values)).toThrow(message);
  });

  it.each([
    ["-- @statement s\nSELECT {{ slot('t') }}", "slot('t') outside a -- @template section"],
    ['-- @statement s\n-- @if t\nSELECT 1\n-- @end', '-- @if belongs in a -- @template section'],
    ["-- @template t\nSELECT {{ json_str(slot('x'), 'a') }}", 'slot() stands alone'],
    ['-- @template t\n-- @if a\n-- @if b\nSELECT 1\n-- @end\n-- @end', '-- @if b inside -- @if a'],
    ['-- @template t\n-- @if a\nSELECT 1', '-- @if a has no -- @end'],
    ['-- @template t\nSELECT 1\n-- @end', '-- @end without -- @if'],
  ])('rejects %j when the file is rendered', (source, message) => {
    expect(() => renderSqlFile('quality/bad', source, 'duckdb')).toThrow(SqlTemplateError);
    expect(() => renderSqlFile('quality/bad', source, 'duckdb')).toThrow(message);
  });

  describe('choice slots', () => {
    const CHOICE = [
      '-- @template rows',
      '-- @if kind = count',
      'SELECT COUNT(*) AS n',
      "FROM {{ slot('table') }}",
      '-- @end',
      '-- @if kind = delete',
      "DELETE FROM {{ slot('table') }}",
      '-- @end',
      '-- @if match = user_id',
      "WHERE user_id = {{ param('id') }}",
      '-- @end',
      '-- @if match = anonymous_id',
      "WHERE anonymous_id = {{ param('id') }}",
      '-- @end',
      '-- @if scoped',
      "  AND {{ slot('scoped') }} = {{ param('scope') }}",
      '-- @end',
    ].join('\n');
    const choice = (): SqlTemplate => renderSqlFile('erasure/example', CHOICE, 'duckdb').templates[0]!;

    it('lists the values each choice slot names', () => {
      expect(choice().choices).toEqual({ kind: ['count', 'delete'], match: ['user_id', 'anonymous_id'] });
      expect(choice().slots).toEqual(['kind', 'match', 'scoped', 'table']);
    });

    it('keeps an -- @if <slot> = <value> block only when the slot holds that value', () => {
      expect(
        fillTemplate(choice(), { kind: 'delete', match: 'anonymous_id', table: 'raw.events' }),
      ).toMatchObject({
        sql: 'DELETE FROM raw.events\nWHERE anonymous_id = ?',
        params: ['id'],
      });
      expect(
        fillTemplate(choice(), {
          kind: 'count',
          match: 'user_id',
          table: 'raw.events',
          scoped: 'workspace_id',
        }),
      ).toMatchObject({
        sql: 'SELECT COUNT(*) AS n\nFROM raw.events\nWHERE user_id = ?\n  AND workspace_id = ?',
        params: ['id', 'scope'],
      });
    });

    it.each([
      [{ kind: 'count', table: 'raw.events' }, "slot 'match' is one of user_id, anonymous_id, not undefined"],
      [
        { kind: 'count', match: 'user_key', table: 'raw.events' },
        "slot 'match' is one of user_id, anonymous_id",
      ],
      [{ kind: ['count'], match: 'user_id', table: 'raw.events' }, "slot 'kind' is one of count, delete"],
    ])('refuses choice values %j, so no variant is silently left out', (values, message) => {
      expect(() => fillTemplate(choice(), values)).toThrow(SqlTemplateError);
      expect(() => fillTemplate(choice(), values)).toThrow(message);
    });

    it('rejects a choice value that is not an identifier when the file is rendered', () => {
      expect(() =>
        renderSqlFile('erasure/bad', "-- @template t\n-- @if kind = 'x'\nSELECT 1\n-- @end", 'duckdb'),
      ).toThrow("bad value ''x'' of slot 'kind'");
    });
  });

  it('finds a template by file and name in the SQL library, naming what a file has when asked for another', () => {
    const library = testSqlLibrary('duckdb');
    expect(library.template('quality/key_uniqueness', 'duplicated_keys').slots).toContain('key_table');
    expect(() => library.template('quality/key_uniqueness', 'nope')).toThrow(
      "quality/key_uniqueness: no template 'nope' (has: duplicated_keys)",
    );
  });
});
