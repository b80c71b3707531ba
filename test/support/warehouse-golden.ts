import { fileURLToPath } from 'node:url';

/** Reviewed Snowflake renderings of every file under sql/, one golden file per SQL file, same path. */
export const GOLDEN_DIR = fileURLToPath(new URL('../__golden__/snowflake/', import.meta.url));

export const UPDATE_GOLDEN_COMMAND = 'UPDATE_GOLDEN=1 npm test -- test/sql';

/** Why a rendering does not match its golden file (null when it does), naming the file and the fix. */
export const goldenMismatch = (file: string, rendered: string, golden: string | null): string | null => {
  const where = `test/__golden__/snowflake/${file}.sql`;
  if (golden === null) {
    return `sql/${file}.sql has no golden file ${where}: review its Snowflake rendering, then run ${UPDATE_GOLDEN_COMMAND}`;
  }
  if (golden === rendered) return null;
  const a = golden.split('\n');
  const b = rendered.split('\n');
  let line = 0;
  while (line < a.length && line < b.length && a[line] === b[line]) line += 1;
  return [
    `the Snowflake rendering of sql/${file}.sql changed and ${where} was not updated.`,
    `first difference at line ${line + 1}:`,
    `  golden:   ${a[line] ?? '(end of file)'}`,
    `  rendered: ${b[line] ?? '(end of file)'}`,
    `If the change is intended, review it and run ${UPDATE_GOLDEN_COMMAND}`,
  ].join('\n');
};
