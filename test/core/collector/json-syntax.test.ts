import { locateJsonSyntaxError } from '#core/collector/json-syntax.ts';

describe('locateJsonSyntaxError', () => {
  it.each([
    ['{"a":1}', undefined],
    [' [1, -2.5e3, "x\\u00e9\\n", true, false, null, {}] ', undefined],
  ])('finds nothing wrong in valid JSON %s', (text, expected) => {
    expect(locateJsonSyntaxError(text)).toBe(expected);
  });

  it.each([
    ['', 0, 'unexpected end of input'],
    ['{"a":}', 5, "unexpected character '}'; expected a value"],
    ['{"a" 1}', 5, "expected ':'"],
    ['{a:1}', 1, 'expected a property name in double quotes'],
    ['[1 2]', 3, "expected ',' or ']'"],
    ['[1,]', 3, 'expected a value'],
    ['{"a":1,}', 7, 'expected a property name'],
    ['{"a":"b\nc"}', 7, 'unescaped control character'],
    ['"\\x"', 1, 'invalid escape sequence'],
    ['"abc', 4, 'unterminated string'],
    ['01', 1, 'after the JSON value'],
    ['-', 0, 'invalid number'],
    ['tru', 0, 'expected a value'],
    ['{} {}', 3, 'after the JSON value'],
    ['\u0000', 0, 'U+0000'],
  ])('locates the error in %j at index %i', (text, index, problem) => {
    const found = locateJsonSyntaxError(text);

    expect(found?.index).toBe(index);
    expect(found?.problem).toContain(problem);
  });

  it('agrees with JSON.parse on what is valid', () => {
    const samples = [
      '{"a":[1,{"b":null}]}',
      '[1e5]',
      '1.',
      '.5',
      '"\\ud800"',
      '[true,fals]',
      '{"a":1}}',
      '  ',
    ];
    for (const text of samples) {
      let valid = true;
      try {
        JSON.parse(text);
      } catch {
        valid = false;
      }
      expect({ text, valid: locateJsonSyntaxError(text) === undefined }).toEqual({ text, valid });
    }
  });
});
