import { exceedsNestingDepth } from '#core/contract/json-depth.ts';

const nested = (depth: number): string => `${'{"a":'.repeat(depth - 1)}{}${'}'.repeat(depth - 1)}`;

describe('exceedsNestingDepth', () => {
  it('accepts nesting exactly at the limit', () => {
    expect(exceedsNestingDepth(nested(32), 32)).toBe(false);
  });

  it('refuses nesting one level past the limit', () => {
    expect(exceedsNestingDepth(nested(33), 32)).toBe(true);
  });

  it('counts arrays as well as objects', () => {
    expect(exceedsNestingDepth(`{"a":${'['.repeat(40)}${']'.repeat(40)}}`, 32)).toBe(true);
  });

  it('ignores brackets inside strings, escaped quotes included', () => {
    const text = JSON.stringify({
      note: `say \\" ${'{['.repeat(50)}`,
      list: Array.from({ length: 40 }, () => ({})),
    });
    expect(exceedsNestingDepth(text, 32)).toBe(false);
  });

  it('accepts many sibling objects that are not nested', () => {
    expect(
      exceedsNestingDepth(JSON.stringify({ rows: Array.from({ length: 500 }, (_, i) => ({ i })) }), 32),
    ).toBe(false);
  });

  it('handles a hostile 100 000-level document without overflowing the stack', () => {
    expect(exceedsNestingDepth(`${'['.repeat(100_000)}${']'.repeat(100_000)}`, 32)).toBe(true);
  });
});
