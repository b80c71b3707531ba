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

  it('finds a template by file and name in the SQL library, naming what a file has when asked for another', () => {
    const library = testSqlLibrary('duckdb');
    expect(library.template('quality/key_uniqueness', 'duplicated_keys').slots).toContain('key_table');
    expect(() => library.template('quality/key_uniqueness', 'nope')).toThrow(
      "quality/key_uniqueness: no template 'nope' (has: duplicated_keys)",
    );
  });
});
