import { ConfigReader } from '#core/config/config-reader.ts';

class TestConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.join('; '));
  }
}

describe('ConfigReader on the environment', () => {
  it('gathers every problem, in the order read, each naming its variable', () => {
    const read = ConfigReader.env({ PORT: 'eighty', MODE: 'loud' });

    read.required('STREAM');
    read.optional('PORT', 80, (v) =>
      /^\d+$/.test(v) ? { value: Number(v) } : { problem: 'must be a number' },
    );
    read.optional('MODE', 'quiet', (v) => (v === 'quiet' ? { value: v } : { problem: 'must be quiet' }));

    expect(read.problems).toEqual([
      'STREAM is required',
      'PORT must be a number, got "eighty"',
      'MODE must be quiet, got "loud"',
    ]);
  });

  it('trims values and takes a blank one as unset', () => {
    const read = ConfigReader.env({ NAME: '  tally  ', BLANK: '   ' });

    expect(read.required('NAME')).toBe('tally');
    expect(read.optional('BLANK', 'fallback', (v) => ({ value: v }))).toBe('fallback');
    expect(read.problems).toEqual([]);
  });

  it('says what the caller says of a missing or malformed required value, quoting the value', () => {
    const read = ConfigReader.env({ ACCOUNT: 'https://acme' });

    read.required('USER', { missing: 'is not set' });
    read.required('ACCOUNT', {
      check: (v) => (v.includes('/') ? 'must be an account identifier' : undefined),
    });

    expect(read.problems).toEqual([
      'USER is not set',
      'ACCOUNT must be an account identifier, got "https://acme"',
    ]);
  });

  it('quotes at most 80 characters of a value, so a misplaced secret does not reach the log whole', () => {
    const read = ConfigReader.env({ TAG: 'x'.repeat(200) });

    read.optional('TAG', '', () => ({ problem: 'is too long' }));

    expect(read.problems).toEqual([`TAG is too long, got "${'x'.repeat(80)}..."`]);
  });

  it('throws the caller’s error with every problem, and nothing when there is none', () => {
    const bad = ConfigReader.env({});
    bad.required('A');
    bad.required('B');

    expect(() => bad.throwIfAny((problems) => new TestConfigError(problems))).toThrow(
      'A is required; B is required',
    );
    expect(() => ConfigReader.env({}).throwIfAny((p) => new TestConfigError(p))).not.toThrow();
  });
});

describe('ConfigReader on CDK context', () => {
  const context = (values: Record<string, unknown>) =>
    new ConfigReader((key) => values[key], { prefix: 'tally:', separator: ': ' });

  it('looks keys up and names them with the prefix', () => {
    const read = context({ 'tally:stage': 'Prod!' });

    expect(read.string('stage', 'dev', /^[a-z]+$/, 'a lowercase name')).toBe('dev');
    expect(read.problems).toEqual(['tally:stage: "Prod!" is not a lowercase name']);
  });

  it('accepts numbers and booleans as values or as the strings -c passes', () => {
    const read = context({ 'tally:a': 5, 'tally:b': '7', 'tally:c': 'false', 'tally:d': true });

    expect([read.int('a', 0, { min: 0, max: 9 }), read.int('b', 0, { min: 0, max: 9 })]).toEqual([5, 7]);
    expect([read.bool('c', true), read.bool('d', false)]).toEqual([false, true]);
    expect(read.problems).toEqual([]);
  });

  it('falls back and says why for a value out of range, of the wrong type or not among the choices', () => {
    const read = context({ 'tally:n': 12, 'tally:flag': 'yes', 'tally:mode': 'fast', 'tally:name': 3 });

    expect(read.int('n', 1, { min: 1, max: 10 })).toBe(1);
    expect(read.bool('flag', true)).toBe(true);
    expect(read.oneOf('mode', 'slow', ['slow', 'steady'])).toBe('slow');
    expect(read.optionalString('name')).toBeUndefined();
    expect(read.problems).toEqual([
      'tally:n: expected an integer from 1 to 10, got 12',
      'tally:flag: expected true or false, got "yes"',
      'tally:mode: expected one of slow, steady, got "fast"',
      'tally:name: expected a string, got 3',
    ]);
  });

  it('takes null and the empty string as unset', () => {
    const read = context({ 'tally:a': null, 'tally:b': '' });

    expect([read.int('a', 3, { min: 0, max: 9 }), read.string('b', 'dflt')]).toEqual([3, 'dflt']);
    expect(read.problems).toEqual([]);
  });
});
