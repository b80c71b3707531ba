import { declaredChecks } from '#core/quality/registry.ts';
import type { Warehouse } from '#core/warehouse/ports.ts';
import { answerData, buildConsoleWarehouse, consoleApi } from './support/console-warehouse.ts';

let warehouse: Warehouse;
beforeAll(async () => {
  warehouse = await buildConsoleWarehouse();
});
afterAll(() => warehouse.close());

const range = { from: '2026-03-09', to: '2026-03-11' };
// biome-ignore lint/suspicious/noExplicitAny: answers are JSON read by the assertions
const data = (report: string, params: Record<string, string> = {}): Promise<any> =>
  answerData(consoleApi(warehouse), report, params);

describe('meta report', () => {
  it('lists the catalog, the days with usage, the platforms, the facts and the checks', async () => {
    const meta = await data('meta');
    expect(meta).toMatchObject({ today: '2026-03-12', firstDay: '2026-03-09', lastDay: '2026-03-11' });
    expect(meta.features.map((f: { id: string }) => f.id)).toContain('editor.comments.mention');
    expect(meta.platforms).toEqual(['android', 'ios', 'web']);
    expect(meta.facts.map((f: { name: string }) => f.name)).toEqual([
      'app_visit',
      'feature_used',
      'editor_comments',
    ]);
    // every declared check, in the registry's order (other work adds checks)
    expect(meta.checks.map((c: { name: string }) => c.name)).toEqual(declaredChecks().map((c) => c.name));
  });
});

describe('workspaces report', () => {
  it('suggests workspaces whose id contains the search text in any case, most users first', async () => {
    expect(await data('workspaces', { search: 'ACME' })).toEqual([
      { workspaceId: 'ws-acme', users: 2, lastSeen: '2026-03-11' },
    ]);
    expect((await data('workspaces')).map((w: { workspaceId: string }) => w.workspaceId)).toEqual([
      'ws-acme',
      'ws-globex',
    ]);
  });
});

describe('adoption report', () => {
  it('lists the workspaces of a feature sorted as asked, with the total', async () => {
    const byUsers = await data('adoption', { feature: 'editor', sort: 'users_28d', direction: 'asc' });
    expect(byUsers.totalWorkspaces).toBe(2);
    expect(
      byUsers.workspaces.map((w: { workspaceId: string; users28d: number }) => [w.workspaceId, w.users28d]),
    ).toEqual([
      ['ws-globex', 1],
      ['ws-acme', 2],
    ]);
    const page = await data('adoption', {
      feature: 'editor',
      sort: 'workspace_id',
      direction: 'desc',
      limit: '1',
      offset: '1',
    });
    expect(page.workspaces.map((w: { workspaceId: string }) => w.workspaceId)).toEqual(['ws-acme']);
  });

  it('counts the workspaces per tenth of adoption rate', async () => {
    // replies: acme 1 of 2 users (0.5), nobody else
    const replies = await data('adoption', { feature: 'editor.comments.reply' });
    expect(replies.distribution.filter((d: { workspaces: number }) => d.workspaces > 0)).toEqual([
      { tenth: 5, workspaces: 1 },
    ]);
  });

  it("drills into one workspace's adoption of the feature and of every feature below it", async () => {
    const drill = await data('adoption', { feature: 'editor.comments', workspace: 'ws-acme' });
    expect(
      drill.workspace.features.map((f: { featureId: string; adoptionRate: number }) => [
        f.featureId,
        f.adoptionRate,
      ]),
    ).toEqual([
      ['editor.comments', 1],
      ['editor.comments.mention', 1],
      ['editor.comments.reply', 0.5],
    ]);
  });
});

describe('activation report', () => {
  it('gives New / Retained / Reactivated / Inactive per period of the fact and grain', async () => {
    expect(await data('activation', { fact: 'app_visit', grain: 'day', ...range })).toEqual([
      expect.objectContaining({ period: '2026-03-09', active: 3, new: 3, retained: 0, inactive: 0 }),
      expect.objectContaining({ period: '2026-03-10', active: 3, new: 0, retained: 3, inactive: 0 }),
      expect.objectContaining({ period: '2026-03-11', active: 1, retained: 1, churned: 2, inactive: 2 }),
    ]);
  });
});

describe('cohorts report', () => {
  it('gives the retention triangle of first-seen weeks, split by platform, with the segments and their users', async () => {
    const all = await data('cohorts', range);
    expect(all.cohorts).toEqual([
      { cohortWeek: '2026-03-09', segment: 'all', users: 3, weeks: [{ weeksSince: 0, active: 3, share: 1 }] },
    ]);
    const byPlatform = await data('cohorts', { ...range, split: 'platform' });
    expect(byPlatform.segments).toEqual([
      { segment: 'web', users: 2 },
      { segment: 'ios', users: 1 },
    ]);
    const ios = await data('cohorts', { ...range, split: 'platform', segment: 'ios' });
    expect(ios.cohorts.map((c: { segment: string; users: number }) => [c.segment, c.users])).toEqual([
      ['ios', 1],
    ]);
  });
});

describe('health report', () => {
  it('summarises every check as red / amber / green / grey with its runbook, the worst one overall', async () => {
    const health = await data('health', range);
    const raw = health.checks.find((c: { name: string }) => c.name === 'freshness-raw');
    // the last load was at 18:00 and the checks ran at 18:10: 600 s, over the 120 s target
    expect(raw).toMatchObject({
      status: 'fail',
      signal: 'red',
      observedMax: 600,
      runbook: '/runbooks/freshness-raw',
    });
    expect(health.checks.find((c: { name: string }) => c.name === 'reconciliation')).toMatchObject({
      status: 'skipped',
      signal: 'grey',
    });
    expect(health.signal).toBe('red');
  });

  it('trends freshness percentiles and failing checks per day from the recorded check results', async () => {
    const health = await data('health', range);
    expect(health.rawFreshness).toMatchObject({ p50: 600, p95: 600, latest: 600 });
    expect(health.rawFreshness.trend.map((t: { period: string }) => t.period)).toEqual([
      '2026-03-09T00:00:00.000Z',
      '2026-03-10T00:00:00.000Z',
      '2026-03-11T00:00:00.000Z',
    ]);
    expect(health.failingChecks.trend.map((t: { failing: number }) => t.failing)).toEqual([1, 1, 1]);
  });

  it('gives the reject rate by reason over the events loaded in each period', async () => {
    const health = await data('health', range);
    // 03-10: 4 validated + 2 rejected; the range: 10 validated + 2 rejected
    expect(health.rejectRate).toMatchObject({
      events: 12,
      rate: 16.667,
      reasons: [
        { reason: 'SCHEMA_VIOLATION', rejected: 1, rate: 8.333 },
        { reason: 'UNKNOWN_SCHEMA', rejected: 1, rate: 8.333 },
      ],
    });
    expect(health.rejectRate.trend[1]).toMatchObject({ events: 6, rate: 33.333 });
  });
});

describe('quality report', () => {
  it("gives every check's history per day and one check's buckets with their pass range", async () => {
    const quality = await data('quality', { ...range, check: 'freshness-raw' });
    expect(quality.history.filter((h: { check: string }) => h.check === 'freshness-raw')).toEqual([
      expect.objectContaining({ runs: 1, failingRuns: 1, status: 'fail' }),
      expect.objectContaining({ runs: 1, failingRuns: 1, status: 'fail' }),
      expect.objectContaining({ runs: 1, failingRuns: 1, status: 'fail' }),
    ]);
    expect(quality.check.buckets).toEqual([
      expect.objectContaining({
        bucket: 'raw',
        status: 'fail',
        observed: 600,
        expectedMin: 0,
        expectedMax: 120,
        offendingKeys: ['2026-03-11T18:00:00.000Z'],
      }),
    ]);
  });
});

describe('lineage report', () => {
  it('lists the model runs with the raw files each read, and the chosen run by model', async () => {
    const lineage = await data('lineage', range);
    expect(
      lineage.runs.map((r: { loads: number; factRowsWritten: number }) => [r.loads, r.factRowsWritten]),
    ).toEqual([
      [2, 1],
      [2, 4],
      [1, 5],
    ]);
    expect(lineage.run.loads).toEqual([
      'events/dt=2026-03-10/hr=18/console.json.gz',
      'events/dt=2026-03-11/hr=18/console.json.gz',
    ]);
    expect(lineage.run.models.map((m: { model: string }) => m.model)).toContain('fct_feature_events');
  });

  it('counts raw rows by event name, schema version and validator build', async () => {
    const lineage = await data('lineage', range);
    expect(lineage.builds).toEqual([
      expect.objectContaining({ eventName: 'feature_used', schemaVersion: '1-0-0', events: 10 }),
    ]);
    expect(lineage.builds[0].validatorBuild).toEqual(expect.any(String));
  });
});

describe('rejected report', () => {
  it('counts rejected events by reason and event name, and shows the event as sent with its exact reason', async () => {
    const rejected = await data('rejected', range);
    expect(rejected.byEvent).toEqual([
      { eventName: 'button_clicked', reason: 'UNKNOWN_SCHEMA', sourceId: 'src-web', events: 1 },
      { eventName: 'feature_used', reason: 'SCHEMA_VIOLATION', sourceId: 'src-web', events: 1 },
    ]);
    expect(rejected.sample[0]).toMatchObject({
      reason: 'UNKNOWN_SCHEMA',
      message: "must have required property 'feature'",
      path: '/feature',
      event: '{"event":"feature_used"}',
      file: 'rejected/dt=2026-03-10/hr=18/console.json.gz#2',
    });
  });

  it('keeps only the reason asked for', async () => {
    const rejected = await data('rejected', { ...range, reason: 'SCHEMA_VIOLATION' });
    expect(rejected.trend).toEqual([
      { period: '2026-03-10T00:00:00.000Z', reason: 'SCHEMA_VIOLATION', events: 1 },
    ]);
    expect(rejected.sample.map((s: { eventId: string }) => s.eventId)).toEqual(['r1']);
  });
});
