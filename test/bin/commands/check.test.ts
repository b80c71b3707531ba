import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDuckDbWarehouse } from '#adapters/duckdb/duckdb-warehouse.ts';
import { buildCleanWarehouse, NOW } from '../../core/quality/support/clean-warehouse.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));

/** Runs `tally check ...` in a child process, as cron or CI would. */
const tally = (...args: string[]) => {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'bin/tally.ts', 'check', ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, TALLY_HOME: join(tmpdir(), 'tally-check-no-home') },
  });
  return { code: result.status, out: result.stdout, err: result.stderr };
};

describe('tally check', () => {
  let dir: string;
  let db: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tally-check-'));
    db = join(dir, 'warehouse.duckdb');
    await (await buildCleanWarehouse({ history: 'days', path: db })).close();
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('exits 0 on clean data, prints a table of every check and records the run', async () => {
    const { code, out } = tally('--db', db, '--at', NOW.toISOString());
    expect(code).toBe(0);
    expect(out).toMatch(/^CHECK\s+STATUS\s+SEVERITY\s+BUCKETS$/m);
    expect(out).toMatch(/^reconciliation\s+pass\s+error\s+12 pass$/m);
    expect(out).toContain('quality ok (16 checks)');
    const warehouse = await createDuckDbWarehouse({ path: db });
    try {
      const [row] = await warehouse.query(
        'SELECT COUNT(DISTINCT run_id) AS runs, COUNT(DISTINCT check_name) AS checks FROM ops.quality_results',
      );
      expect(row).toEqual({ runs: 1, checks: 16 });
    } finally {
      await warehouse.close();
    }
  });

  it('exits 1 when an error-severity check fails, naming the failing buckets and their offending keys', async () => {
    const warehouse = await createDuckDbWarehouse({ path: db });
    await warehouse.execute(
      "DELETE FROM curated.fct_feature_events WHERE dedup_key = 'dk-web-app-page_viewed-2024031212-10'",
    );
    await warehouse.close();
    const { code, out } = tally(
      'reconciliation',
      'null-keys',
      '--db',
      db,
      '--at',
      NOW.toISOString(),
      '--no-record',
    );
    expect(code).toBe(1);
    expect(out).toMatch(/^reconciliation\s+FAIL\s+error\s+1 fail, 11 pass$/m);
    expect(out).toContain(
      'FAIL    leg=raw_to_curated|source=web-app|event=page_viewed  observed 1  expected 0..0',
    );
    expect(out).toContain('offending: dk-web-app-page_viewed-2024031212-10');
    expect(out).toContain('quality FAILING reconciliation');
  });

  it('prints JSON results for machines', () => {
    const { code, out } = tally(
      'freshness-raw',
      '--db',
      db,
      '--at',
      NOW.toISOString(),
      '--json',
      '--no-record',
    );
    expect(code).toBe(0);
    expect(JSON.parse(out)).toEqual([
      expect.objectContaining({
        check: 'freshness-raw',
        bucket: 'raw',
        status: 'pass',
        severity: 'error',
        expectedMax: 120,
      }),
    ]);
  });

  it('refuses unknown check names, listing the known ones', () => {
    const { code, err } = tally('freshnes-raw', '--db', db);
    expect(code).toBe(1);
    expect(err).toContain('unknown check freshnes-raw; known checks: freshness-raw, freshness-curated');
  });

  it('lists the checks with severity, metric and runbook', () => {
    const { code, out } = tally('--list');
    expect(code).toBe(0);
    expect(out).toMatch(
      /^volume-hourly\s+error VolumeAnomalies\[Grain, Platform\] {2}docs\/runbooks\/volume-hourly\.md$/m,
    );
  });
});
