import { api } from '../api.ts';
import { chartCard } from '../charts.ts';
import { selectControl } from '../controls.ts';
import { h } from '../dom.ts';
import { fmtNumber, fmtShare } from '../format.ts';
import { featureName } from '../meta.ts';
import type { Page } from '../page.ts';
import { navigate, update } from '../state.ts';
import { tableCard } from '../table.ts';
import { PALETTE, TERMS } from '../theme.ts';

interface AdoptionRow {
  users7d: number;
  users28d: number;
  activeUsers28d: number;
  adoptionRate: number | null;
  firstUsed: string;
  lastUsed: string;
  asOf: string;
}
interface Adoption {
  features: {
    featureId: string;
    name: string | null;
    level: number | null;
    workspaces: number;
    users28d: number;
    meanAdoptionRate: number | null;
  }[];
  feature: string | null;
  totalWorkspaces?: number;
  workspaces?: (AdoptionRow & { workspaceId: string })[];
  distribution?: { tenth: number; workspaces: number }[];
  workspace?: {
    workspaceId: string;
    features: (AdoptionRow & { featureId: string; name: string | null; level: number | null })[];
  } | null;
}

const PAGE_SIZE = 25;

const adoptionColumns = [
  {
    key: 'adoption_rate',
    label: TERMS.adoptionRate,
    unit: 'share' as const,
    value: (r: AdoptionRow) => r.adoptionRate,
    sortable: true,
  },
  {
    key: 'users_28d',
    label: 'Users 28d',
    unit: 'number' as const,
    value: (r: AdoptionRow) => r.users28d,
    sortable: true,
  },
  {
    key: 'users_7d',
    label: 'Users 7d',
    unit: 'number' as const,
    value: (r: AdoptionRow) => r.users7d,
    sortable: true,
  },
  {
    key: 'workspace_active_users_28d',
    label: 'Active users 28d',
    unit: 'number' as const,
    value: (r: AdoptionRow) => r.activeUsers28d,
    sortable: true,
  },
  { key: 'first_used', label: 'First used', value: (r: AdoptionRow) => r.firstUsed, sortable: true },
  { key: 'last_used', label: 'Last used', value: (r: AdoptionRow) => r.lastUsed, sortable: true },
];

export const adoptionPage: Page = {
  name: 'adoption',
  title: 'Adoption',
  lede: 'Which workspaces use a feature, as a share of their active users over 28 days.',
  icon: 'M12 3a9 9 0 1 0 9 9h-9z M14 2v8h8a8 8 0 0 0-8-8z',
  async render({ params, meta, filters, content }) {
    const feature = params.get('feature');
    const workspace = params.get('workspace');
    const sort = params.get('sort') ?? 'adoption_rate';
    const direction = params.get('direction') === 'asc' ? 'asc' : 'desc';
    const offset = Math.max(0, Number.parseInt(params.get('offset') ?? '0', 10) || 0);
    const options = [...meta.features]
      .sort((a, b) => a.id.localeCompare(b.id))
      .map((f) => ({ value: f.id, label: `${'\u2003'.repeat(Math.max(0, (f.level ?? 1) - 1))}${f.name}` }));
    filters.append(
      selectControl('Feature', 'feature', [{ value: '', label: 'Choose a feature…' }, ...options], feature, {
        workspace: null,
        offset: null,
      }),
    );
    const data = await api<Adoption>('adoption', {
      feature,
      workspace: feature ? workspace : null,
      sort,
      direction,
      offset: String(offset),
      limit: String(PAGE_SIZE),
    });

    if (feature === null) {
      content.append(
        tableCard({
          id: 'adoption-features',
          title: 'Features by workspaces using them',
          subtitle:
            'Click a feature to see its workspaces. Windows end at each workspace’s latest active day.',
          rows: data.features,
          onRow: (f) => update({ feature: f.featureId }),
          columns: [
            {
              key: 'feature_id',
              label: 'Feature',
              value: (f) => f.featureId,
              render: (f) =>
                h(
                  'span',
                  { class: 'feature-cell' },
                  h('span', { class: 'feature-name' }, f.name ?? f.featureId),
                  h('code', {}, f.featureId),
                ),
            },
            { key: 'workspaces', label: TERMS.workspaces, unit: 'number', value: (f) => f.workspaces },
            { key: 'users_28d', label: 'Users 28d', unit: 'number', value: (f) => f.users28d },
            {
              key: 'mean_adoption_rate',
              label: `Mean ${TERMS.adoptionRate.toLowerCase()}`,
              unit: 'share',
              value: (f) => f.meanAdoptionRate,
            },
          ],
        }),
      );
      return;
    }
    const total = data.totalWorkspaces ?? 0;
    const summary = data.features.find((f) => f.featureId === feature);
    const distribution = chartCard({
      id: 'adoption-distribution',
      kind: 'bar',
      title: 'Workspaces by adoption rate',
      subtitle: `${featureName(meta, feature)}: share of each workspace’s active users who used it in 28 days`,
      unit: 'number',
      x: 'bucket',
      series: [{ key: 'workspaces', label: TERMS.workspaces, color: PALETTE[0] ?? '' }],
      dataset: {
        columns: [
          { key: 'bucket', label: 'Adoption rate' },
          { key: 'workspaces', label: 'Workspaces' },
        ],
        rows: (data.distribution ?? []).map((d) => ({
          bucket: `${d.tenth * 10}–${d.tenth * 10 + 10}%`,
          workspaces: d.workspaces,
        })),
      },
      height: 220,
    });
    const pager = h(
      'div',
      { class: 'pager' },
      h(
        'span',
        { class: 'muted' },
        total === 0
          ? 'No workspace'
          : `${offset + 1}–${Math.min(offset + PAGE_SIZE, total)} of ${fmtNumber(total)} workspaces`,
      ),
      h(
        'button',
        {
          type: 'button',
          class: 'page-button',
          disabled: offset === 0,
          onclick: () => update({ offset: String(Math.max(0, offset - PAGE_SIZE)) }),
        },
        '‹ Previous',
      ),
      h(
        'button',
        {
          type: 'button',
          class: 'page-button',
          disabled: offset + PAGE_SIZE >= total,
          onclick: () => update({ offset: String(offset + PAGE_SIZE) }),
        },
        'Next ›',
      ),
    );
    const table = tableCard({
      id: 'adoption-workspaces',
      title: `Workspaces using ${featureName(meta, feature)}`,
      subtitle: 'Sort by any column; click a workspace for its adoption of every feature below this one.',
      rows: data.workspaces ?? [],
      onRow: (w) => update({ workspace: w.workspaceId }),
      selected: (w) => w.workspaceId === workspace,
      sort: {
        key: sort,
        direction,
        onSort: (key) =>
          update({
            sort: key,
            direction: key === sort && direction === 'desc' ? 'asc' : 'desc',
            offset: null,
          }),
      },
      columns: [
        { key: 'workspace_id', label: 'Workspace', value: (w) => w.workspaceId, sortable: true },
        ...adoptionColumns,
      ],
      footer: pager,
    });
    const stats = h(
      'div',
      { class: 'stats' },
      h(
        'div',
        { class: 'stat', 'data-stat': 'workspaces' },
        h('span', { class: 'stat-label' }, TERMS.workspaces),
        h('span', { class: 'stat-value' }, fmtNumber(summary?.workspaces ?? 0)),
      ),
      h(
        'div',
        { class: 'stat', 'data-stat': 'users' },
        h('span', { class: 'stat-label' }, 'Users 28d'),
        h('span', { class: 'stat-value' }, fmtNumber(summary?.users28d ?? 0)),
      ),
      h(
        'div',
        { class: 'stat', 'data-stat': 'mean-rate' },
        h('span', { class: 'stat-label' }, `Mean ${TERMS.adoptionRate.toLowerCase()}`),
        h('span', { class: 'stat-value' }, fmtShare(summary?.meanAdoptionRate)),
      ),
    );
    content.append(
      stats,
      h(
        'div',
        { class: 'grid two' },
        distribution,
        data.workspace
          ? drill(data.workspace, feature, meta.today)
          : h(
              'section',
              { class: 'card hint' },
              h('h3', {}, 'Pick a workspace'),
              h(
                'p',
                { class: 'muted' },
                'Click a row below to see how that workspace adopted every feature under this one.',
              ),
            ),
      ),
      table,
    );
  },
};

const drill = (ws: NonNullable<Adoption['workspace']>, feature: string, _today: string): HTMLElement =>
  tableCard({
    id: 'adoption-workspace',
    title: `${ws.workspaceId}: ${feature} and below`,
    subtitle: 'The workspace’s users of each feature against its active users in 28 days.',
    rows: ws.features,
    columns: [
      {
        key: 'feature_id',
        label: 'Feature',
        value: (f) => f.featureId,
        render: (f) =>
          h(
            'span',
            { class: `feature-cell level-${f.level ?? 0}` },
            h('span', { class: 'feature-name' }, f.name ?? f.featureId),
            h('code', {}, f.featureId),
          ),
      },
      { key: 'adoption_rate', label: TERMS.adoptionRate, unit: 'share', value: (f) => f.adoptionRate },
      { key: 'users_28d', label: 'Users 28d', unit: 'number', value: (f) => f.users28d },
      { key: 'last_used', label: 'Last used', value: (f) => f.lastUsed },
    ],
    footer: h(
      'p',
      { class: 'card-foot' },
      h(
        'button',
        {
          type: 'button',
          class: 'link',
          onclick: () => navigate('usage', { feature, workspace: ws.workspaceId, range: '30d' }),
        },
        `Usage of ${feature} in ${ws.workspaceId} →`,
      ),
    ),
  });
