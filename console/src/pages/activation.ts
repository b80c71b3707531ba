import { api } from '../api.ts';
import { chartCard } from '../charts.ts';
import { rangeControl, rangeOf, segmentedControl, selectControl } from '../controls.ts';
import { h } from '../dom.ts';
import { fmtNumber, fmtPeriod } from '../format.ts';
import type { Page } from '../page.ts';
import { tableCard } from '../table.ts';
import { ACTIVATION_STATES, PALETTE, STATUS_COLORS } from '../theme.ts';

interface Period {
  period: string;
  active: number;
  new: number;
  retained: number;
  reactivated: number;
  churned: number;
  inactive: number;
  quickRatio: number | null;
  retentionRate: number | null;
}

export const activationPage: Page = {
  name: 'activation',
  title: 'Activation',
  lede: 'New, retained, reactivated and inactive users over time, for any activation fact and grain.',
  icon: 'M3 17l6-6 4 4 8-8M15 7h6v6',
  async render({ params, meta, filters, content }) {
    const facts = meta.facts.map((f) => f.name);
    const fact = facts.includes(params.get('fact') ?? '')
      ? (params.get('fact') as string)
      : (facts[0] ?? 'app_visit');
    const grain = ['day', 'week', 'month'].includes(params.get('grain') ?? '')
      ? (params.get('grain') as string)
      : 'week';
    const range = rangeOf(params, meta.today, '90d');
    filters.append(
      selectControl(
        'Fact',
        'fact',
        meta.facts.map((f) => ({ value: f.name, label: f.name })),
        fact,
      ),
      segmentedControl(
        'Grain',
        'grain',
        meta.grains.map((g) => ({ value: g, label: g[0]?.toUpperCase() + g.slice(1) })),
        grain,
      ),
      rangeControl(range),
    );
    const periods = await api<Period[]>('activation', { fact, grain, from: range.from, to: range.to });
    const label = (p: string) => fmtPeriod(p, grain);
    const latest = periods.at(-1);
    const description = meta.facts.find((f) => f.name === fact)?.description ?? '';
    const stat = (id: string, text: string, value: string, color?: string) =>
      h(
        'div',
        { class: 'stat', 'data-stat': id },
        h(
          'span',
          { class: 'stat-label' },
          color ? h('span', { class: 'swatch', style: `background:${color}` }) : null,
          text,
        ),
        h('span', { class: 'stat-value' }, value),
      );
    content.append(
      h('p', { class: 'muted note' }, `${fact}: ${description} The latest ${grain} is still in progress.`),
      h(
        'div',
        { class: 'stats' },
        ...ACTIVATION_STATES.map((s) => stat(s.key, s.label, fmtNumber(latest?.[s.key] ?? null), s.color)),
        stat('churned', 'Churned', fmtNumber(latest?.churned ?? null), STATUS_COLORS.red),
        stat(
          'quick-ratio',
          'Quick ratio',
          latest?.quickRatio === null || latest === undefined ? '–' : latest.quickRatio.toFixed(2),
        ),
      ),
      chartCard({
        id: 'activation-states',
        kind: 'stacked',
        title: `Users by state per ${grain}`,
        subtitle: 'New + Retained + Reactivated = active; Inactive were active before and not this period.',
        unit: 'number',
        x: 'period',
        xLabel: label,
        series: ACTIVATION_STATES.map((s) => ({ key: s.key, label: s.label, color: s.color })),
        dataset: {
          columns: [
            { key: 'period', label: 'Period' },
            ...ACTIVATION_STATES.map((s) => ({ key: s.key, label: s.label })),
          ],
          rows: periods.map((p) => ({
            period: p.period,
            new: p.new,
            retained: p.retained,
            reactivated: p.reactivated,
            inactive: p.inactive,
          })),
        },
        height: 300,
      }),
      h(
        'div',
        { class: 'grid two' },
        chartCard({
          id: 'activation-retention',
          kind: 'line',
          title: 'Retention rate',
          subtitle: `Retained users as a share of the previous ${grain}'s active users`,
          unit: 'share',
          x: 'period',
          xLabel: label,
          series: [{ key: 'retention_rate', label: 'Retention rate', color: PALETTE[1] ?? '' }],
          dataset: {
            columns: [
              { key: 'period', label: 'Period' },
              { key: 'retention_rate', label: 'Retention rate' },
            ],
            rows: periods.map((p) => ({ period: p.period, retention_rate: p.retentionRate })),
          },
        }),
        chartCard({
          id: 'activation-churn',
          kind: 'bar',
          title: 'Churned users',
          subtitle: `Active the ${grain} before, not this one`,
          unit: 'number',
          x: 'period',
          xLabel: label,
          series: [{ key: 'churned', label: 'Churned', color: STATUS_COLORS.red }],
          dataset: {
            columns: [
              { key: 'period', label: 'Period' },
              { key: 'churned', label: 'Churned' },
            ],
            rows: periods.map((p) => ({ period: p.period, churned: p.churned })),
          },
        }),
      ),
      tableCard({
        id: 'activation-periods',
        title: `Every ${grain}`,
        rows: [...periods].reverse(),
        columns: [
          { key: 'period', label: 'Period', value: (p) => p.period },
          { key: 'active', label: 'Active', unit: 'number', value: (p) => p.active },
          ...ACTIVATION_STATES.map((s) => ({
            key: s.key,
            label: s.label,
            unit: 'number' as const,
            value: (p: Period) => p[s.key],
          })),
          { key: 'churned', label: 'Churned', unit: 'number', value: (p) => p.churned },
          {
            key: 'quick_ratio',
            label: 'Quick ratio',
            value: (p) => p.quickRatio,
            render: (p) => (p.quickRatio === null ? '–' : p.quickRatio.toFixed(2)),
          },
          { key: 'retention_rate', label: 'Retention rate', unit: 'share', value: (p) => p.retentionRate },
        ],
      }),
    );
  },
};
