import { api } from '../api.ts';
import { chartCard } from '../charts.ts';
import { rangeControl, rangeOf, segmentedControl, selectControl, workspaceControl } from '../controls.ts';
import { h } from '../dom.ts';
import { fmtNumber, fmtPeriod } from '../format.ts';
import { featureName, featurePath } from '../meta.ts';
import type { Page } from '../page.ts';
import { update } from '../state.ts';
import { tableCard } from '../table.ts';
import { platformColor, TERMS } from '../theme.ts';

interface UsageNode {
  featureId: string;
  name: string | null;
  level: number | null;
  known: boolean;
  hasChildren: boolean;
  events: number;
  workspaces: number;
  avgUsers: number | null;
  peakUsers: number | null;
}
interface Usage {
  periods: string[];
  node: UsageNode | null;
  children: UsageNode[];
  trend: { period: string; platform: string; events: number; users: number | null }[];
}

const stat = (id: string, label: string, value: string) =>
  h(
    'div',
    { class: 'stat', 'data-stat': id },
    h('span', { class: 'stat-label' }, label),
    h('span', { class: 'stat-value' }, value),
  );

export const usagePage: Page = {
  name: 'usage',
  title: 'Usage',
  lede: 'The feature hierarchy, area by area: events, users and workspaces, and the trend by platform.',
  icon: 'M4 20V10M10 20V4M16 20v-7M22 20H2',
  async render({ params, meta, filters, content }) {
    const range = rangeOf(params, meta.today, '30d');
    const grain = params.get('grain') === 'week' ? 'week' : 'day';
    const feature = params.get('feature');
    const workspace = params.get('workspace');
    const platform = params.get('platform');
    const root = feature === null;
    const metric = !root && params.get('metric') === 'users' ? 'users' : 'events';
    filters.append(
      rangeControl(range),
      segmentedControl(
        'Grain',
        'grain',
        [
          { value: 'day', label: 'Day' },
          { value: 'week', label: 'Week' },
        ],
        grain,
      ),
      selectControl(
        'Platform',
        'platform',
        [{ value: '', label: 'All platforms' }, ...meta.platforms.map((p) => ({ value: p, label: p }))],
        platform,
      ),
      workspaceControl(workspace),
    );
    const usage = await api<Usage>('usage', {
      from: range.from,
      to: range.to,
      grain,
      feature,
      workspace,
      platform,
    });
    const node = usage.node;
    const path = featurePath(meta, feature);

    const crumbs = h(
      'nav',
      { class: 'crumbs', 'aria-label': 'Drill-down path' },
      h(
        'button',
        {
          type: 'button',
          class: root ? 'current' : 'link',
          'data-crumb': '',
          onclick: () => update({ feature: null, metric: null }),
        },
        'All features',
      ),
      path.flatMap((id) => [
        h('span', { class: 'sep' }, '›'),
        h(
          'button',
          {
            type: 'button',
            class: id === feature ? 'current' : 'link',
            'data-crumb': id,
            onclick: () => update({ feature: id }),
          },
          featureName(meta, id),
        ),
      ]),
    );
    const stats = h(
      'div',
      { class: 'stats' },
      stat('events', TERMS.events, fmtNumber(node?.events ?? 0)),
      stat(
        'users',
        TERMS.users(grain),
        node?.avgUsers === null || node === null ? '–' : fmtNumber(node.avgUsers),
      ),
      stat(
        'peak-users',
        TERMS.peakUsers(grain),
        node?.peakUsers === null || node === null ? '–' : fmtNumber(node.peakUsers),
      ),
      stat('workspaces', TERMS.workspaces, fmtNumber(node?.workspaces ?? 0)),
    );

    const platforms = [...new Set(usage.trend.map((t) => t.platform))].sort();
    const rows = usage.periods.map((period) => {
      const row: Record<string, string | number | null> = { period };
      for (const p of platforms) {
        const t = usage.trend.find((x) => x.period === period && x.platform === p);
        row[p] = t ? (metric === 'users' ? t.users : t.events) : 0;
      }
      return row;
    });
    const metricLabel =
      metric === 'users' ? (grain === 'week' ? 'Weekly users' : 'Daily users') : TERMS.events;
    const trend = chartCard({
      id: 'usage-trend',
      kind: 'stacked',
      title: `${metricLabel} by platform`,
      subtitle: root
        ? `All features, per ${grain}${workspace ? ` · ${workspace}` : ''}`
        : `${featureName(meta, feature ?? '')}, per ${grain}${workspace ? ` · ${workspace}` : ''}${metric === 'users' ? ' · users counted per workspace' : ''}`,
      unit: 'number',
      x: 'period',
      xLabel: (p) => fmtPeriod(p, grain),
      series: platforms.map((p, i) => ({ key: p, label: p, color: platformColor(p, i) })),
      dataset: {
        columns: [{ key: 'period', label: 'Period' }, ...platforms.map((p) => ({ key: p, label: p }))],
        rows,
      },
      height: 280,
    });
    const metricControl = root
      ? h('p', { class: 'muted note' }, 'Users are counted per feature: drill into an area to see them.')
      : segmentedControl(
          'Show',
          'metric',
          [
            { value: 'events', label: TERMS.events },
            { value: 'users', label: 'Users' },
          ],
          metric,
        );

    const parentEvents = node?.events ?? 0;
    const tree = tableCard({
      id: 'usage-tree',
      title: root
        ? 'Product areas'
        : node?.level === 3 || usage.children.length === 0
          ? 'No sub-features'
          : `Inside ${featureName(meta, feature ?? '')}`,
      subtitle:
        'Click a row to drill down. Users are distinct per workspace and period, never summed from children.',
      rows: usage.children,
      onRow: (c) => update({ feature: c.featureId }),
      empty: `${featureName(meta, feature ?? '')} has no sub-features.`,
      columns: [
        {
          key: 'feature_id',
          label: 'Feature',
          value: (c) => c.featureId,
          render: (c) =>
            h(
              'span',
              { class: 'feature-cell' },
              h('span', { class: 'feature-name' }, c.name ?? c.featureId),
              h('code', {}, c.featureId),
              c.known
                ? null
                : h(
                    'span',
                    { class: 'badge warn', title: 'Not in the feature catalog: counted at its own id only' },
                    'unknown',
                  ),
              c.hasChildren ? h('span', { class: 'drill', 'aria-hidden': 'true' }, '›') : null,
            ),
        },
        { key: 'events', label: TERMS.events, unit: 'number', value: (c) => c.events },
        {
          key: 'share',
          label: 'Share of events',
          unit: 'percent',
          value: (c) => (parentEvents === 0 ? null : Math.round((c.events / parentEvents) * 1000) / 10),
        },
        { key: 'avg_users', label: TERMS.users(grain), unit: 'number', value: (c) => c.avgUsers },
        { key: 'peak_users', label: TERMS.peakUsers(grain), unit: 'number', value: (c) => c.peakUsers },
        { key: 'workspaces', label: TERMS.workspaces, unit: 'number', value: (c) => c.workspaces },
      ],
    });
    content.append(h('div', { class: 'toolbar' }, crumbs, metricControl), stats, trend, tree);
  },
};
