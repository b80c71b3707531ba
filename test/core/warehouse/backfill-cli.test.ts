import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createDuckDbWarehouse } from '#adapters/duckdb/duckdb-warehouse.ts';
import { applyPipelineDdl } from '#core/pipeline/pipeline-ddl.ts';
import { duckdbSql } from '#test/support/sql-library.ts';
import { eventLine } from '../../support/warehouse-events.ts';
import { load, transform } from '../../support/warehouse-pipeline.ts';

/** Smoke test of `tally backfill` (bin/commands/backfill.ts) on a local warehouse file. */
const run = promisify(execFile);
const tally = (args: string[]) =>
  run('npx', ['tsx', 'bin/tally.ts', ...args], { cwd: new URL('../../../', import.meta.url).pathname }).then(
    (r) => ({ code: 0, out: r.stdout, err: r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout, err: e.stderr }),
  );

describe('tally backfill', () => {
  let home: string;
  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'tally-backfill-'));
    const warehouse = await createDuckDbWarehouse({ path: join(home, 'warehouse.duckdb') });
    await applyPipelineDdl(warehouse, { library: duckdbSql });
    const today = new Date().toISOString().slice(0, 10);
    await load(warehouse, 'events/a.ndjson.gz', new Date().toISOString(), [
      eventLine({
        id: 'a',
        at: `${today}T00:00:01.000Z`,
        receivedAt: `${today}T00:00:02.000Z`,
        feature: 'editor',
      }),
    ]);
    await transform(warehouse, new Date().toISOString());
    await warehouse.close();
  });

  it('prints progress per day and succeeds', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const result = await tally(['backfill', '--from', today, '--to', today, '--home', home]);
    expect(result.err).not.toContain('tally:');
    expect(result.code).toBe(0);
    expect(result.out).toContain(`[1/1] ${today}: 1 raw rows read, 0 facts restored`);
    expect(result.out).toContain('backfill done: 1 day(s)');
  }, 30_000);

  it('exits 1 with the problem and its fix for a bad range', async () => {
    const result = await tally(['backfill', '--from', '2026-02-30', '--to', '2026-02-01', '--home', home]);
    expect(result.code).toBe(1);
    expect(result.err).toContain('--from "2026-02-30" is not a date: use YYYY-MM-DD');
  }, 30_000);
});
