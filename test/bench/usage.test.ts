import { headerComment, optionLines } from '../../bench/usage.ts';

describe('benchmark --help', () => {
  it("prints the benchmark file's leading comment without its stars", () => {
    const source =
      '/**\n * Scan budget: `npm run bench:scan`.\n *\n * Not a test.\n */\nimport x from "y";\n';
    expect(headerComment(source)).toBe('Scan budget: `npm run bench:scan`.\n\nNot a test.');
  });

  it('lists every option with its value placeholder and default', () => {
    expect(
      optionLines({
        days: { type: 'string', default: '1,30,180' },
        save: { type: 'string' },
        keep: { type: 'boolean', default: false },
      }),
    ).toEqual(['  --days <value> (default 1,30,180)', '  --save <value>', '  --keep (default false)']);
  });
});
