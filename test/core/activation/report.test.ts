import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ActivationReportError } from '#core/activation/errors.ts';
import type { FactDeclaration } from '#core/activation/fact.ts';
import { activationReport } from '#core/activation/report.ts';
import { tallyHome } from '#local/tally-home.ts';
import { openWarehouseReader } from '#local/warehouse-reader.ts';
import { duckdbSql } from '#test/support/sql-library.ts';
import { type ActivationWorld, createWorld, load, runIncremental } from './support/harness.ts';

const FACTS: readonly FactDeclaration[] = [{ name: 'app_visit', description: 'Any event from the user.' }];

describe('activationReport (tally report activation)', () => {
  let world: ActivationWorld;
  beforeAll(async () => {
    world = await createWorld(FACTS);
    await load(
      world,
      [
        { id: 'a1', at: '2025-03-03T09:00:00Z', user: 'u1' },
        { id: 'a2', at: '2025-03-04T09:00:00Z', user: 'u1' },
        { id: 'b1', at: '2025-03-04T10:00:00Z', user: 'u2' },
        { id: 'b2', at: '2025-03-06T10:00:00Z', user: 'u2' },
      ],
      new Date('2025-03-06T12:00:00Z'),
    );
    await runIncremental(world, new Date('2025-03-06T13:00:00Z'));
  });
  afterAll(() => world.warehouse.close());

  const report = (options: { grain?: string; from?: string; to?: string; format?: string; fact?: string }) =>
    activationReport(
      world.warehouse,
      { fact: 'app_visit', grain: 'day', facts: FACTS, ...options },
      duckdbSql,
    );

  it('prints states, churn, quick ratio and retention rate per period as a table', async () => {
    expect(await report({})).toBe(
      [
        'app_visit activation by day: Any event from the user.',
        'period_start  active_users  new_users  retained_users  reactivated_users  churned_users  inactive_users  quick_ratio  retention_rate',
        '------------  ------------  ---------  --------------  -----------------  -------------  --------------  -----------  --------------',
        '2025-03-03               1          1               0                  0              0               0',
        '2025-03-04               2          1               1                  0              0               0                        1.000',
        '2025-03-05               0          0               0                  0              2               2        0.000           0.000',
        '2025-03-06               1          0               0                  1              0               1',
      ].join('\n'),
    );
  });

  it('limits the periods to --from/--to, any day of a period naming it', async () => {
    const rows = JSON.parse(
      await report({ grain: 'week', from: '2025-03-05', to: '2025-03-09', format: 'json' }),
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      period_start: '2025-03-03',
      active_users: 2,
      new_users: 2,
      inactive_to_inactive: 0,
    });
  });

  it('writes every column, transitions included, as CSV', async () => {
    const [header, first] = (await report({ format: 'csv' })).split('\n');
    expect(header).toBe(
      'period_start,active_users,new_users,retained_users,reactivated_users,churned_users,inactive_users,' +
        'previous_active_users,quick_ratio,retention_rate,none_to_new,new_to_retained,retained_to_retained,' +
        'reactivated_to_retained,inactive_to_reactivated,new_to_inactive,retained_to_inactive,' +
        'reactivated_to_inactive,inactive_to_inactive',
    );
    expect(first).toBe('2025-03-03,1,1,0,0,0,0,0,,,1,0,0,0,0,0,0,0,0');
  });

  it('says what to type for an unknown fact, grain, date or format, all at once', async () => {
    const error = await report({ fact: 'visits', grain: 'year', from: '2025-02-30', format: 'xml' }).catch(
      (e) => e,
    );
    expect(error).toBeInstanceOf(ActivationReportError);
    expect(error.problems).toEqual([
      '--fact "visits" is not declared; choose one of: app_visit',
      '--grain must be one of day, week, month, got "year"',
      '--from must be a date like 2025-03-09, got "2025-02-30"',
      '--format must be one of table, csv, json, got "xml"',
    ]);
  });

  it('reads through the local CLI warehouse reader of a .tally folder', async () => {
    const home = tallyHome(await mkdtemp(join(tmpdir(), 'tally-activation-')));
    const local = await createWorld(FACTS, { path: home.warehouseFile });
    await load(
      local,
      [{ id: 'x1', at: '2025-03-03T09:00:00Z', user: 'u1' }],
      new Date('2025-03-03T10:00:00Z'),
    );
    await runIncremental(local, new Date('2025-03-04T10:00:00Z'));
    await local.warehouse.close();
    const reader = await openWarehouseReader(home);
    try {
      const rows = JSON.parse(
        await activationReport(
          reader,
          { fact: 'app_visit', grain: 'day', format: 'json', facts: FACTS },
          duckdbSql,
        ),
      );
      expect(
        rows.map((r: { period_start: string; churned_users: number }) => [r.period_start, r.churned_users]),
      ).toEqual([
        ['2025-03-03', 0],
        ['2025-03-04', 1],
      ]);
    } finally {
      await reader.close();
      await rm(home.root, { recursive: true, force: true });
    }
  });
});
