import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CORE = join(ROOT, 'lambdas', 'core');

/** What the core may not import: I/O and vendor SDKs belong to adapters, and dependencies point inward. */
const FORBIDDEN: readonly [RegExp, string][] = [
  [/^node:(fs|zlib|readline)(\/|$)/, 'file or compression I/O (an adapter: adapters/node, adapters/local)'],
  [/^@aws-lambda-powertools\//, 'Powertools (adapters/aws)'],
  [/^@aws-sdk\//, 'the AWS SDK (adapters/aws)'],
  [/^@duckdb\/|^duckdb$/, 'DuckDB (adapters/duckdb)'],
  [/^snowflake-sdk$/, 'the Snowflake driver (adapters/snowflake)'],
  [/^#(adapters|local|demo|handlers|middleware)\//, 'an outer folder (the core is what they depend on)'],
];

const sources = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => join(dir, f));

/** Every module specifier of a file: static imports and exports, and dynamic imports. */
const specifiers = (text: string): string[] =>
  [...text.matchAll(/(?:\bfrom\s+|\bimport\s*\(\s*|^import\s+)['"]([^'"]+)['"]/gm)].map(
    (m) => m[1] as string,
  );

describe('lambdas/core', () => {
  it('imports no file system, compression, Powertools, AWS SDK, DuckDB or Snowflake driver, and no outer folder', () => {
    const files = sources(CORE);
    const offences = files.flatMap((file) =>
      specifiers(readFileSync(file, 'utf8')).flatMap((spec) =>
        FORBIDDEN.filter(([pattern]) => pattern.test(spec)).map(
          ([, why]) => `${relative(ROOT, file)} imports ${spec}: ${why}`,
        ),
      ),
    );

    expect(files.length).toBeGreaterThan(100);
    expect(offences).toEqual([]);
  });

  it('finds the imports it forbids (the check itself reads import lines)', () => {
    const text = "import { gunzip } from 'node:zlib';\nconst m = await import('@aws-sdk/client-s3');\n";
    expect(specifiers(text)).toEqual(['node:zlib', '@aws-sdk/client-s3']);
  });
});
