import { readFileSync } from 'node:fs';

/** parseArgs' option declarations, as the benchmarks write them. */
type Options = Readonly<
  Record<string, { readonly type: 'string' | 'boolean'; readonly default?: unknown; readonly short?: string }>
>;

/** The text of a source file's leading `/** ... *\/` comment, without its stars. */
export const headerComment = (source: string): string => {
  const match = /^\/\*\*([\s\S]*?)\*\//.exec(source);
  return (match?.[1] ?? '')
    .split('\n')
    .map((line) => line.replace(/^\s*\* ?/, ''))
    .join('\n')
    .trim();
};

/** The options a benchmark takes, one per line, with their defaults. */
export const optionLines = (options: Options): string[] =>
  Object.entries(options).map(([name, option]) => {
    const value = option.type === 'string' ? ' <value>' : '';
    const fallback = option.default === undefined ? '' : ` (default ${String(option.default)})`;
    return `  --${name}${value}${fallback}`;
  });

/**
 * `--help` or `-h`: prints what the benchmark measures and how to run it (the header comment of its own file)
 * and its options, then exits; a benchmark runs for minutes, so asking must not start it.
 */
export const helpIfAsked = (file: string, options: Options, argv = process.argv.slice(2)): void => {
  if (!argv.includes('--help') && !argv.includes('-h')) return;
  const text = [headerComment(readFileSync(file, 'utf8')), '', 'Options:', ...optionLines(options)];
  process.stdout.write(`${text.join('\n')}\n`);
  process.exit(0);
};
