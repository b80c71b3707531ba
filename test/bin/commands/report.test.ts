import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createDuckDbWarehouse } from '#adapters/duckdb/duckdb-warehouse.ts';
import { applyPipelineDdl } from '#core/pipeline/pipeline-ddl.ts';
import { startLocalStack } from '#local/local-stack.ts';
import { tallyHome } from '#local/tally-home.ts';
import { duckdbSql } from '#test/support/sql-library.ts';
import { eventLine } from '../../support/warehouse-events.ts';
import { load, transform } from '../../support/warehouse-pipeline.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const run = promisify(execFile);

/** Runs `tally report ...` in a child process; asynchronous, so a stack in this process can answer it. */
const tally = (...args: string[]) =>
  run(process.execPath, ['--import', 'tsx', 'bin/tally.ts', 'report', ...args], {
    cwd: root,
    env: { ...process.env, TALLY_HOME: join(tmpdir(), 'tally-report-no-home') },
  }).then(
    (r) => ({ code: 0, out: r.stdout, err: r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout, err: e.stderr }),
  );

/** u1 and u2 active in the week of 2026-03-02, only u1 in the week of 2026-03-09. */
const WEEKLY_CSV = [
  'period_start,active_users,new_users,retained_users,reactivated_users,churned_users,inactive_users,previous_active_users,quick_ratio,retention_rate',
  '2026-03-02,2,2,0,0,0,0,0,,',
  '2026-03-09,1,0,1,0,1,1,2,0.000,0.500',
];
const summaryColumns = (csv: string) =>
  csv
    .trim()
    .split('\n')
    .map((line) => line.split(',').slice(0, 10).join(','));

describe('tally report activation', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tally-report-'));
    const warehouse = await createDuckDbWarehouse({ path: tallyHome(dir).warehouseFile });
    await applyPipelineDdl(warehouse, { library: duckdbSql });
    await load(warehouse, 'events/a.ndjson.gz', '2026-03-10T12:00:00.000Z', [
      eventLine({ id: 'a', at: '2026-03-03T09:00:00.000Z', user: 'u1' }),
      eventLine({ id: 'b', at: '2026-03-04T09:00:00.000Z', user: 'u2' }),
      eventLine({ id: 'c', at: '2026-03-10T09:00:00.000Z', user: 'u1' }),
    ]);
    await transform(warehouse, '2026-03-11T12:00:00.000Z');
    await warehouse.close();
  }, 30_000);
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('prints users by state, churn, quick ratio and retention per week from the warehouse file', async () => {
    const { code, out } = await tally('activation', '--fact', 'app_visit', '--home', dir);

    expect(code).toBe(0);
    expect(out).toContain('app_visit activation by week: Any event from the user');
    expect(out).toMatch(/^period_start\s+active_users\s+new_users\s+retained_users/m);
    expect(out).toMatch(/^2026-03-09\s+1\s+0\s+1\s+0\s+1\s+1\s+0\.000\s+0\.500$/m);
  });

  it('takes the grain, a date range of any days of the periods, and csv with every transition', async () => {
    const { code, out } = await tally(
      'activation',
      '--fact',
      'app_visit',
      '--grain',
      'week',
      '--from',
      '2026-03-04',
      '--to',
      '2026-03-12',
      '--format',
      'csv',
      '--home',
      dir,
    );

    expect(code).toBe(0);
    expect(summaryColumns(out)).toEqual(WEEKLY_CSV);
    expect(out.split('\n')[0]).toContain('retained_to_inactive');
  });

  it('reads through the running tally dev, which holds the warehouse file', async () => {
    const stack = await startLocalStack({ home: tallyHome(dir), port: 0, logLevel: 'SILENT' });
    try {
      const { code, out } = await tally(
        'activation',
        '--fact',
        'app_visit',
        '--format',
        'csv',
        '--home',
        dir,
      );

      expect(code).toBe(0);
      expect(summaryColumns(out)).toEqual(WEEKLY_CSV);
    } finally {
      await stack.stop();
    }
  }, 30_000);

  it('names the declared facts when the fact is unknown, with every other problem', async () => {
    const { code, err } = await tally('activation', '--fact', 'visits', '--grain', 'year', '--home', dir);

    expect(code).toBe(1);
    expect(err).toContain(
      '--fact "visits" is not declared; choose one of: app_visit, feature_used, editor_comments',
    );
    expect(err).toContain('--grain must be one of day, week, month, got "year"');
  });

  it('documents the activation report, its facts and options in --help', async () => {
    const { code, out } = await tally('--help');

    expect(code).toBe(0);
    expect(out).toContain('usage | adoption | last-seen | activation');
    expect(out).toMatch(/--fact <name>\s+activation: which events make a user active/);
    expect(out).toMatch(/--grain <grain>\s+activation: day, week, month \(default week\)/);
    expect(out).toMatch(/^\s+app_visit\s+Any event from the user/m);
    expect(out).toContain('tally report activation --fact app_visit --grain week');
  });
});
