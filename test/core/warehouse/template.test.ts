import { MissingSqlParamError, SqlTemplateError } from '#core/warehouse/errors.ts';
import { bindParams } from '#core/warehouse/sql-exec.ts';
import { renderSqlFile } from '#core/warehouse/template.ts';

const one = (source: string, dialect: 'snowflake' | 'duckdb') => {
  const { statements } = renderSqlFile('models/example', source, dialect);
  expect(statements).toHaveLength(1);
  return statements[0]!;
};

describe('SQL templates', () => {
  it.each([
    [
      "{{ json_str('e.payload', 'properties.plan') }}",
      'e.payload:properties.plan::VARCHAR',
      "(e.payload ->> '$.properties.plan')",
    ],
    ["{{ json_get('payload', 'context') }}", 'payload:context', "(payload -> '$.context')"],
    [
      "{{ json_str('PARSE_JSON(x)', 'a') }}",
      "GET_PATH(PARSE_JSON(x), 'a')::VARCHAR",
      "(PARSE_JSON(x) ->> '$.a')",
    ],
    ['{{ type_json }}', 'VARIANT', 'JSON'],
    ['{{ type_ts }}', 'TIMESTAMP_NTZ', 'TIMESTAMP'],
    ["{{ date_add_days('d', -6) }}", 'DATEADD(DAY, -6, d)', '(CAST(d AS DATE) + CAST(-6 AS INTEGER))'],
    ["{{ ts_add_hours('t', 72) }}", 'DATEADD(HOUR, 72, t)', '(t + to_hours(CAST(72 AS BIGINT)))'],
    [
      "{{ iso_week_start('d') }}",
      'DATEADD(DAY, 1 - DAYOFWEEKISO(d), d)',
      '(CAST(d AS DATE) - CAST(isodow(d) - 1 AS INTEGER))',
    ],
    ["x{{ cluster_by('event_date') }}", 'x CLUSTER BY (event_date)', 'x'],
  ])('renders %s per dialect', (template, snowflake, duckdb) => {
    expect(one(`SELECT ${template}`, 'snowflake').sql).toBe(`SELECT ${snowflake}`);
    expect(one(`SELECT ${template}`, 'duckdb').sql).toBe(`SELECT ${duckdb}`);
  });

  it('numbers parameters in the order their ? appear, even where a helper reorders its arguments', () => {
    const source = "SELECT {{ date_add_days(param('day'), param('offset')) }}, {{ param('day') }}";
    expect(one(source, 'snowflake')).toMatchObject({
      sql: 'SELECT DATEADD(DAY, ?, ?), ?',
      params: ['offset', 'day', 'day'],
    });
    expect(one(source, 'duckdb')).toMatchObject({
      sql: 'SELECT (CAST(? AS DATE) + CAST(? AS INTEGER)), ?',
      params: ['day', 'offset', 'day'],
    });
  });

  it('binds values by parameter name', () => {
    const statement = one("SELECT {{ param('b') }}, {{ param('a') }}, {{ param('b') }}", 'duckdb');
    expect(bindParams(statement, { a: 1, b: 'x', unused: true })).toEqual(['x', 1, 'x']);
  });

  it('binds JSON text (json_rows / json_parse arguments) with its lone surrogate escapes mended, other text as it is', () => {
    const statement = one(
      "SELECT v.value, {{ param('name') }} FROM {{ json_rows(param('rows')) }} AS v, {{ json_parse(param('doc')) }} AS d",
      'duckdb',
    );
    expect(statement.jsonParams).toEqual(['rows', 'doc']);
    const rows = JSON.stringify([{ n: 'a\ud800', kept: '\\ud800 is text', pair: '😀' }]);
    const [name, json, doc] = bindParams(statement, { name: '\\ud800 b\ud800', rows, doc: '{"k\\udfff":1}' });
    expect(name).toBe('\\ud800 b\uFFFD');
    expect(JSON.parse(String(json))).toEqual([{ n: 'a\uFFFD', kept: '\\ud800 is text', pair: '😀' }]);
    expect(doc).toBe('{"k\\ufffd":1}');
  });

  it('names the statement and the parameter a caller forgot', () => {
    const statement = one("SELECT {{ param('as_of') }}", 'duckdb');
    expect(() => bindParams(statement, {})).toThrow(MissingSqlParamError);
    expect(() => bindParams(statement, {})).toThrow(
      "statement models/example#example needs a value for parameter 'as_of'",
    );
  });

  it('splits a file into named statements and drops the final semicolons', () => {
    const source = [
      '-- A model with two steps.',
      '-- @statement first',
      'DELETE FROM t;',
      '',
      '-- @statement second',
      "-- keeps comments with 'quotes' and question marks?",
      "INSERT INTO t SELECT {{ param('x') }};",
    ].join('\n');
    const { statements } = renderSqlFile('models/two', source, 'duckdb');
    expect(statements.map((s) => [s.name, s.sql, s.params])).toEqual([
      ['first', 'DELETE FROM t', []],
      ['second', "-- keeps comments with 'quotes' and question marks?\nINSERT INTO t SELECT ?", ['x']],
    ]);
  });

  it('names a single-statement file after the file', () => {
    expect(renderSqlFile('ddl/raw/events', 'CREATE TABLE x (a INT);', 'duckdb').statements[0]?.name).toBe(
      'events',
    );
  });

  it.each([
    ['SELECT ?', "bare '?' parameter"],
    ['SELECT {{ nope() }}', "unknown helper 'nope'"],
    ["SELECT {{ json_str('x') }}", 'json_str takes 2 argument(s), got 1'],
    ["SELECT {{ json_str('x', 'a b') }}", "bad JSON path 'a b'"],
    ["SELECT {{ cluster_by('a; DROP TABLE x') }}", 'bad column list'],
    ["SELECT {{ param('a') extra }}", 'unexpected'],
    ['SELECT 1; SELECT 2', 'more than one statement'],
    ['SELECT 1;\n-- @statement a\nSELECT 2', 'SQL before the first -- @statement header'],
  ])('rejects %j with an error naming the file', (source, message) => {
    expect(() => renderSqlFile('models/bad', source, 'duckdb')).toThrow(SqlTemplateError);
    expect(() => renderSqlFile('models/bad', source, 'duckdb')).toThrow(`models/bad: `);
    expect(() => renderSqlFile('models/bad', source, 'duckdb')).toThrow(message);
  });
});
