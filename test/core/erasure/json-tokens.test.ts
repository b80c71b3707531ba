import { jsonStrings, jsonStringTokens } from '#core/erasure/json-tokens.ts';

describe('jsonStringTokens', () => {
  it('yields every string literal of a JSON text, keys included, decoded', () => {
    expect([...jsonStringTokens('{"user_id":"u-12","n":3,"tags":["a\\"b","\\u0075-1"]}')]).toEqual([
      'user_id',
      'u-12',
      'n',
      'tags',
      'a"b',
      'u-1',
    ]);
  });

  it('reads the complete literals of a truncated JSON text', () => {
    expect([...jsonStringTokens('{"user_id":"u-12","feature_id":"edi')]).toEqual([
      'user_id',
      'u-12',
      'feature_id',
    ]);
  });

  it('keeps a literal with a broken escape as written', () => {
    expect([...jsonStringTokens('{"a":"x\\qy"}')]).toEqual(['a', 'x\\qy']);
  });
});

describe('jsonStrings', () => {
  it('yields the strings and keys of a parsed value, at any depth', () => {
    expect([...jsonStrings({ a: 'x', b: [1, { 'u-12': true }], c: null })]).toEqual([
      'a',
      'x',
      'b',
      'u-12',
      'c',
    ]);
  });
});
