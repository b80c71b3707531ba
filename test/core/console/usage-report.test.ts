import type { UsageNode } from '#core/console/reports/usage.ts';
import type { Warehouse } from '#core/warehouse/ports.ts';
import { answerData, buildConsoleWarehouse, consoleApi } from './support/console-warehouse.ts';

interface UsageData {
  periods: string[];
  node: UsageNode | null;
  children: UsageNode[];
  trend: { period: string; platform: string; events: number; users: number | null }[];
}

let warehouse: Warehouse;
beforeAll(async () => {
  warehouse = await buildConsoleWarehouse();
});
afterAll(() => warehouse.close());

const usage = (params: Record<string, string>) =>
  answerData<UsageData>(consoleApi(warehouse), 'usage', { from: '2026-03-09', to: '2026-03-11', ...params });

describe('usage report', () => {
  it('lists the product areas and unknown feature ids at the root, with events and workspaces', async () => {
    const data = await usage({});
    expect(data.children.map((c) => [c.featureId, c.events, c.workspaces, c.known])).toEqual([
      ['editor', 8, 2, true],
      ['ghost.feature', 1, 1, false],
      ['sharing', 1, 1, true],
    ]);
    expect(data.node).toMatchObject({ featureId: '(all)', events: 10, workspaces: 2, avgUsers: null });
  });

  it('drills down to a feature: its children, and users per day counted per workspace and day', async () => {
    const data = await usage({ feature: 'editor.comments' });
    // comments: 03-09 acme {u1,u2}; 03-10 acme {u1,u2}, globex {u3}; 03-11 none -> (2 + 3 + 0) / 3 days
    expect(data.node).toMatchObject({ featureId: 'editor.comments', events: 6, avgUsers: 1.7, peakUsers: 3 });
    expect(data.children.map((c) => [c.featureId, c.events, c.hasChildren])).toEqual([
      ['editor.comments.mention', 5, false],
      ['editor.comments.reply', 1, false],
    ]);
  });

  it('splits the trend by platform per day', async () => {
    const data = await usage({ feature: 'editor.comments.mention' });
    expect(data.trend).toEqual([
      { period: '2026-03-09', platform: 'ios', events: 1, users: 1 },
      { period: '2026-03-09', platform: 'web', events: 2, users: 1 },
      { period: '2026-03-10', platform: 'android', events: 1, users: 1 },
      { period: '2026-03-10', platform: 'web', events: 1, users: 1 },
    ]);
  });

  it('keeps one workspace and one platform when filtered', async () => {
    const data = await usage({ feature: 'editor', workspace: 'ws-acme', platform: 'web' });
    expect(data.node).toMatchObject({ events: 5, workspaces: 1 });
    expect(data.children.map((c) => [c.featureId, c.events])).toEqual([
      ['editor.comments', 4],
      ['editor.formatting', 1],
    ]);
    expect(new Set(data.trend.map((t) => t.platform))).toEqual(new Set(['web']));
  });

  it('counts weeks from the weekly table at grain week', async () => {
    const data = await usage({ feature: 'editor', grain: 'week' });
    expect(data.periods).toEqual(['2026-03-09']);
    // one ISO week: acme {u1,u2}, globex {u3}
    expect(data.node).toMatchObject({ events: 8, avgUsers: 3, peakUsers: 3 });
  });

  it('answers a feature that is neither in the catalog nor in the range with a parameter error', async () => {
    await expect(usage({ feature: 'nope.nothing' })).rejects.toMatchObject({
      name: 'ReportParameterError',
      problems: [{ parameter: 'feature', reason: expect.stringContaining('no feature "nope.nothing"') }],
    });
  });
});
