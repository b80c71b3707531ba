import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { REPO_SQL_DIR } from '#adapters/node/repo-assets.ts';
import { listSqlFiles } from '#adapters/node/sql-files.ts';
import { testSqlLibrary } from '#test/support/sql-library.ts';
import { GOLDEN_DIR, goldenMismatch } from '../support/warehouse-golden.ts';

const update = process.env.UPDATE_GOLDEN === '1';
const snowflake = testSqlLibrary('snowflake');
const duckdb = testSqlLibrary('duckdb');
const files = listSqlFiles(REPO_SQL_DIR);
/**
 * A golden file earns its place where a helper expands differently for Snowflake: a file both dialects
 * render alike runs as it reads in DuckDB (test/sql/duckdb-statements.test.ts), and its golden would only
 * repeat it.
 */
const reviewed = files.filter((file) => snowflake.file(file).text !== duckdb.file(file).text);

const goldenFiles = (dir: string): string[] =>
  existsSync(dir)
    ? readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory()
          ? goldenFiles(join(dir, e.name))
          : [
              relative(GOLDEN_DIR, join(dir, e.name))
                .split(sep)
                .join('/')
                .replace(/\.sql$/, ''),
            ],
      )
    : [];

describe('Snowflake rendering of sql/', () => {
  it.each(reviewed)('%s matches its reviewed golden file', (file) => {
    const rendered = `${snowflake.file(file).text.trimEnd()}\n`;
    const path = join(GOLDEN_DIR, `${file}.sql`);
    if (update) {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, rendered);
      return;
    }
    const golden = existsSync(path) ? readFileSync(path, 'utf8') : null;
    const mismatch = goldenMismatch(file, rendered, golden);
    if (mismatch) throw new Error(mismatch);
  });

  it('keeps no golden file for a SQL file that no longer exists or that both dialects render alike', () => {
    const stale = goldenFiles(GOLDEN_DIR).filter((g) => !reviewed.includes(g));
    if (update) for (const g of stale) rmSync(join(GOLDEN_DIR, `${g}.sql`));
    else expect(stale).toEqual([]);
  });
});

describe('golden comparison', () => {
  it('reports a changed rendering with the file, the first differing line and the update command', () => {
    const message = goldenMismatch('models/x', 'SELECT 1\nFROM a\n', 'SELECT 1\nFROM b\n');
    expect(message).toContain(
      'sql/models/x.sql changed and test/__golden__/snowflake/models/x.sql was not updated',
    );
    expect(message).toContain('first difference at line 2');
    expect(message).toContain('golden:   FROM b');
    expect(message).toContain('rendered: FROM a');
    expect(message).toContain('UPDATE_GOLDEN=1 npm test -- test/sql');
  });

  it('reports a SQL file without a golden file', () => {
    expect(goldenMismatch('models/new', 'SELECT 1\n', null)).toContain('has no golden file');
  });

  it('accepts an identical rendering', () => {
    expect(goldenMismatch('models/x', 'SELECT 1\n', 'SELECT 1\n')).toBeNull();
  });
});
