import { readFile } from 'node:fs/promises';
import { createDuckDbWarehouse } from '#adapters/duckdb/duckdb-warehouse.ts';
import { insertEventLines } from '#adapters/local/raw-loader.ts';
import { loadFeatureCatalog } from '#adapters/node/load-feature-catalog.ts';
import { loadValidator } from '#adapters/node/load-validator.ts';
import { encodeCollectedRecord } from '#core/contract/collected-record.ts';
import { applyPipelineDdl } from '#core/pipeline/pipeline-ddl.ts';
import type { Warehouse } from '#core/warehouse/ports.ts';
import { runIncremental } from '#core/warehouse/runner.ts';
import { duckdbSql } from '#test/support/sql-library.ts';
import { REPORTS } from '../../lambdas/local/reports/index.ts';
import type { ReportFilters } from '../../lambdas/local/reports/report.ts';

let warehouse: Warehouse;

/** The fixture's two valid events, sent by three users of ws_0001 and one of ws_0002, on 2025-03-09. */
beforeAll(async () => {
  warehouse = await createDuckDbWarehouse();
  await applyPipelineDdl(warehouse, { library: duckdbSql });
  const validate = await loadValidator({ schemasDir: 'schemas', build: 'test' });
  const events: Record<string, unknown>[] = JSON.parse(
    await readFile('test/fixtures/local/native-events.json', 'utf8'),
  );
  const senders = [
    ['ws_0001', 'usr_a'],
    ['ws_0001', 'usr_b'],
    ['ws_0001', 'usr_c'],
    ['ws_0002', 'usr_d'],
  ];
  const lines: string[] = [];
  for (const [workspace, user] of senders) {
    for (const event of events) {
      const record = encodeCollectedRecord(
        {
          v: 1,
          source_id: 'web-app',
          received_at: '2025-03-09T17:42:01.250Z',
          request_id: `r-${user}`,
          intake: 'native',
        },
        JSON.stringify({
          ...event,
          event_id: `${event.event_id}-${user}`,
          user_id: user,
          workspace_id: workspace,
        }),
      );
      const outcome = validate(record, '2025-03-09T17:42:01.250Z');
      if (outcome.ok) lines.push(outcome.line);
    }
  }
  await insertEventLines(
    warehouse,
    lines,
    'events/dt=2025-03-09/hr=17/test.json.gz',
    new Date('2025-03-09T17:43:00Z'),
    { library: duckdbSql },
  );
  await runIncremental({
    library: duckdbSql,
    warehouse,
    catalog: await loadFeatureCatalog('schemas/features.json'),
    clock: () => new Date('2025-03-09T18:00:00Z'),
  });
});
afterAll(async () => {
  await warehouse.close();
});

const run = (name: string, filters: Partial<ReportFilters> = {}) => {
  const report = REPORTS.find((r) => r.name === name)!;
  const { sql, params } = report.build({
    workspace: null,
    feature: null,
    from: null,
    to: null,
    limit: 100,
    ...filters,
  });
  return warehouse.query(sql, params);
};

describe('reports', () => {
  it('usage: events and daily users per feature, parents rolled up, for the last week with data', async () => {
    const rows = await run('usage', { feature: 'editor' });

    expect(rows.map((r) => [r.feature_id, r.level, r.events, r.peak_daily_users])).toEqual([
      ['editor', 1, 4, 4],
      ['editor.comments', 2, 4, 4],
      ['editor.comments.mention', 3, 4, 4],
    ]);
    expect(rows[0]).toMatchObject({ first_day: '2025-03-09', last_day: '2025-03-09', workspaces: 2 });
  });

  it('usage: keeps to one workspace and resolves legacy aliases to catalog ids', async () => {
    const rows = await run('usage', { workspace: 'ws_0001', feature: 'sharing.export' });

    expect(rows.map((r) => [r.feature_id, r.events])).toEqual([
      ['sharing.export', 3],
      ['sharing.export.pdf', 3],
    ]);
  });

  it('usage: an explicit range without data gives no rows', async () => {
    expect(await run('usage', { from: '2025-01-01', to: '2025-01-31' })).toEqual([]);
  });

  it('adoption: per feature of one workspace, users against the workspace active users', async () => {
    const rows = await run('adoption', { workspace: 'ws_0001', feature: 'editor.comments.mention' });

    expect(rows).toEqual([
      expect.objectContaining({
        feature_id: 'editor.comments.mention',
        users_28d: 3,
        workspace_active_users_28d: 3,
        adoption_rate: 1,
      }),
    ]);
  });

  it('adoption: across workspaces, how many use each feature', async () => {
    const rows = await run('adoption', { feature: 'sharing' });

    expect(rows.find((r) => r.feature_id === 'sharing')).toMatchObject({ workspaces_28d: 2, users_28d: 4 });
  });

  it('last-seen: first and last use per user and feature', async () => {
    const rows = await run('last-seen', { workspace: 'ws_0002', feature: 'editor.comments.mention' });

    expect(rows).toEqual([
      {
        workspace_id: 'ws_0002',
        user_key: 'usr_d',
        feature_id: 'editor.comments.mention',
        first_seen: '2025-03-09',
        last_seen: '2025-03-09',
        lifetime_events: 1,
      },
    ]);
  });
});
