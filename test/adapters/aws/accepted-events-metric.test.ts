import {
  fromDimensionValue,
  MAX_DIMENSION_VALUE_LENGTH,
  NAME_TOO_LONG,
  NO_EVENT_NAME,
  toDimensionValue,
} from '#adapters/aws/accepted-events-metric.ts';

/** CloudWatch's rule for a dimension value: 1 to 1024 ASCII characters, no control characters or spaces here. */
const VALID = /^[\x21-\x7e]{1,1024}$/;

describe('AcceptedEvents dimension values', () => {
  it('keeps snake_case names and ordinary source ids as they are', () => {
    expect(['feature_used', 'page_viewed', 'web-app', 'ios.v2'].map(toDimensionValue)).toEqual([
      'feature_used',
      'page_viewed',
      'web-app',
      'ios.v2',
    ]);
  });

  it('writes the empty event name as (none) and reads it back as empty', () => {
    expect(toDimensionValue('')).toBe(NO_EVENT_NAME);
    expect(fromDimensionValue(NO_EVENT_NAME)).toBe('');
  });

  it.each(['Feature Used', 'clicked “share”', 'événement', '(none)', '100%', 'a%20b', "it's ~ (fine)!"])(
    'encodes %j as valid ASCII that reads back to the same name',
    (name) => {
      const value = toDimensionValue(name);

      expect(value).toMatch(VALID);
      expect(value).not.toBe(NO_EVENT_NAME);
      expect(fromDimensionValue(value)).toBe(name);
    },
  );

  it('writes a name longer than CloudWatch takes once encoded as (too long)', () => {
    expect(toDimensionValue('a'.repeat(MAX_DIMENSION_VALUE_LENGTH))).toBe(
      'a'.repeat(MAX_DIMENSION_VALUE_LENGTH),
    );
    expect(toDimensionValue('a'.repeat(MAX_DIMENSION_VALUE_LENGTH + 1))).toBe(NAME_TOO_LONG);
    expect(toDimensionValue('é'.repeat(200))).toBe(NAME_TOO_LONG);
    expect(fromDimensionValue(NAME_TOO_LONG)).toBe(NAME_TOO_LONG);
  });
});
