import { api } from '../api.ts';
import { chartCard } from '../charts.ts';
import { rangeControl, rangeOf, segmentedControl, selectControl } from '../controls.ts';
import { h } from '../dom.ts';
import { fmtNumber, fmtPeriod, fmtShare } from '../format.ts';
import type { Page } from '../page.ts';
import { tableCard } from '../table.ts';
import { PALETTE, platformColor } from '../theme.ts';

interface Cohorts {
  latestWeek: string | null;
  segments: { segment: string; users: number }[];
  cohorts: {
    cohortWeek: string;
    segment: string;
    users: number;
    weeks: { weeksSince: number; active: number; share: number }[];
  }[];
}

const SPLITS = [
  { value: 'none', label: 'None' },
  { value: 'platform', label: 'Platform' },
  { value: 'app_version', label: 'App version' },
  { value: 'locale', label: 'Locale' },
];

/** Weeks since the cohort week shown (the first quarter). */
const MAX_WEEKS = 12;

export const cohortsPage: Page = {
  name: 'cohorts',
  title: 'Cohorts',
  lede: 'Users by the week they were first seen, and the share of them active in each week since.',
  icon: 'M3 3h18v18H3zM3 9h18M3 15h12M9 3v18M15 3v12',
  async render({ params, meta, filters, content }) {
    const range = rangeOf(params, meta.today, '90d');
    const split = SPLITS.some((s) => s.value === params.get('split'))
      ? (params.get('split') as string)
      : 'none';
    const segment = split === 'none' ? null : params.get('segment');
    const data = await api<Cohorts>('cohorts', { from: range.from, to: range.to, split, segment });
    filters.append(
      rangeControl(range),
      segmentedControl('Split by', 'split', SPLITS, split),
      split === 'none'
        ? h('span')
        : selectControl(
            'Segment',
            'segment',
            [
              { value: '', label: 'All segments' },
              ...data.segments.map((s) => ({
                value: s.segment,
                label: `${s.segment} (${fmtNumber(s.users)})`,
              })),
            ],
            segment,
          ),
    );
    // one triangle: the cohorts of every segment shown, added up per cohort week
    const weeks = new Map<string, { users: number; active: Map<number, number> }>();
    for (const c of data.cohorts) {
      const entry = weeks.get(c.cohortWeek) ?? { users: 0, active: new Map<number, number>() };
      entry.users += c.users;
      for (const w of c.weeks)
        entry.active.set(w.weeksSince, (entry.active.get(w.weeksSince) ?? 0) + w.active);
      weeks.set(c.cohortWeek, entry);
    }
    const cohortWeeks = [...weeks.keys()].sort();
    const triangle = cohortWeeks.flatMap((week) => {
      const entry = weeks.get(week);
      if (!entry) return [];
      return [...entry.active]
        .filter(([k]) => k <= MAX_WEEKS)
        .sort(([a], [b]) => a - b)
        .map(([k, active]) => ({
          cohort_week: week,
          weeks_since: k,
          users: entry.users,
          active_users: active,
          retained_share: entry.users === 0 ? 0 : Math.round((active / entry.users) * 10000) / 10000,
        }));
    });
    const label = segment
      ? `${SPLITS.find((s) => s.value === split)?.label}: ${segment}`
      : split === 'none'
        ? 'All users'
        : `Every ${SPLITS.find((s) => s.value === split)?.label.toLowerCase()}`;
    const totalUsers = [...weeks.values()].reduce((s, e) => s + e.users, 0);
    /** The share of the users of the cohorts old enough that were active k weeks after their first. */
    const retainedAt = (k: number): number | null => {
      let users = 0;
      let active = 0;
      for (const e of weeks.values()) {
        if (maxWeek(e.active) < k) continue;
        users += e.users;
        active += e.active.get(k) ?? 0;
      }
      return users === 0 ? null : active / users;
    };
    content.append(
      h(
        'div',
        { class: 'stats' },
        h(
          'div',
          { class: 'stat', 'data-stat': 'users' },
          h('span', { class: 'stat-label' }, 'Users in these cohorts'),
          h('span', { class: 'stat-value' }, fmtNumber(totalUsers)),
        ),
        h(
          'div',
          { class: 'stat', 'data-stat': 'cohorts' },
          h('span', { class: 'stat-label' }, 'Cohorts'),
          h('span', { class: 'stat-value' }, fmtNumber(cohortWeeks.length)),
        ),
        h(
          'div',
          { class: 'stat', 'data-stat': 'week-1' },
          h('span', { class: 'stat-label' }, 'Active 1 week later'),
          h('span', { class: 'stat-value' }, fmtShare(retainedAt(1))),
        ),
        h(
          'div',
          { class: 'stat', 'data-stat': 'week-4' },
          h('span', { class: 'stat-label' }, 'Active 4 weeks later'),
          h('span', { class: 'stat-value' }, fmtShare(retainedAt(4))),
        ),
      ),
      chartCard({
        id: 'cohort-triangle',
        kind: 'heatmap',
        title: `Retention triangle · ${label}`,
        subtitle:
          'Share of each first-seen week’s users active N weeks later (weeks without an active user: 0 %).',
        unit: 'share',
        x: 'weeks_since',
        y: 'cohort_week',
        value: 'retained_share',
        xLabel: (k) => `+${k}w`,
        yLabel: (w) => `${fmtPeriod(w, 'day')} (${fmtNumber(weeks.get(w)?.users ?? 0)})`,
        scale: { kind: 'continuous', max: 1, colors: ['#eef1fe', PALETTE[0] ?? '#4f6bed'] },
        labels: true,
        yMargin: 130,
        dataset: {
          columns: [
            { key: 'cohort_week', label: 'Cohort week' },
            { key: 'weeks_since', label: 'Weeks since' },
            { key: 'users', label: 'Cohort users' },
            { key: 'active_users', label: 'Active users' },
            { key: 'retained_share', label: 'Retained share' },
          ],
          rows: triangle,
        },
        height: Math.max(240, 60 + cohortWeeks.length * 30),
      }),
    );
    if (split !== 'none' && segment === null) {
      const segments = data.segments.slice(0, 6).map((s) => s.segment);
      const curve = (seg: string, k: number): number | null => {
        const mine = data.cohorts.filter((c) => c.segment === seg && c.weeks.length > k);
        const users = mine.reduce((s, c) => s + c.users, 0);
        return users === 0
          ? null
          : Math.round((mine.reduce((s, c) => s + (c.weeks[k]?.active ?? 0), 0) / users) * 10000) / 10000;
      };
      content.append(
        chartCard({
          id: 'cohort-curves',
          kind: 'line',
          title: `Retention by ${SPLITS.find((s) => s.value === split)?.label.toLowerCase()}`,
          subtitle:
            'Share of the cohorts’ users active N weeks after their first week (the cohorts old enough).',
          unit: 'share',
          x: 'weeks_since',
          xLabel: (k) => `+${k}w`,
          series: segments.map((seg, i) => ({
            key: seg,
            label: seg,
            color: split === 'platform' ? platformColor(seg, i) : (PALETTE[i % PALETTE.length] ?? ''),
          })),
          dataset: {
            columns: [
              { key: 'weeks_since', label: 'Weeks since' },
              ...segments.map((seg) => ({ key: seg, label: seg })),
            ],
            rows: Array.from({ length: MAX_WEEKS + 1 }, (_, k) => ({
              weeks_since: String(k),
              ...Object.fromEntries(segments.map((seg) => [seg, curve(seg, k)])),
            })),
          },
        }),
      );
    }
    content.append(
      tableCard({
        id: 'cohort-sizes',
        title: 'Cohorts',
        rows: [...data.cohorts].sort((a, b) => b.cohortWeek.localeCompare(a.cohortWeek) || b.users - a.users),
        columns: [
          { key: 'cohort_week', label: 'First seen week', value: (c) => c.cohortWeek },
          { key: 'segment', label: 'Segment', value: (c) => c.segment },
          { key: 'users', label: 'Users', unit: 'number', value: (c) => c.users },
          {
            key: 'week_1',
            label: '+1 week',
            unit: 'share',
            value: (c) => (c.weeks.length > 1 ? (c.weeks[1]?.share ?? 0) : null),
          },
          {
            key: 'week_4',
            label: '+4 weeks',
            unit: 'share',
            value: (c) => (c.weeks.length > 4 ? (c.weeks[4]?.share ?? 0) : null),
          },
        ],
      }),
    );
  },
};

const maxWeek = (active: Map<number, number>): number => Math.max(...active.keys());
