import { api } from '../api.ts';
import { chartCard } from '../charts.ts';
import { rangeControl, rangeOf, segmentedControl, selectControl } from '../controls.ts';
import { h } from '../dom.ts';
import { fmtNumber, fmtPeriod, fmtTime } from '../format.ts';
import type { Page } from '../page.ts';
import { periodsOf } from '../periods.ts';
import { update } from '../state.ts';
import { tableCard } from '../table.ts';
import { PALETTE } from '../theme.ts';

interface Rejected {
  trend: { period: string; reason: string; events: number }[];
  byEvent: { eventName: string; reason: string; sourceId: string; events: number }[];
  sample: {
    receivedAt: string;
    sourceId: string;
    eventName: string;
    eventId: string | null;
    workspaceId: string | null;
    userId: string | null;
    reason: string;
    message: string | null;
    path: string | null;
    keyword: string | null;
    event: string;
    eventCut: boolean;
    file: string;
  }[];
}

const pretty = (text: string): string => {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
};

export const rejectedPage: Page = {
  name: 'rejected',
  title: 'Rejected events',
  lede: 'What the validator refused, why, and the events exactly as the clients sent them.',
  icon: 'M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20zM5 5l14 14',
  async render({ params, meta, filters, content }) {
    const range = rangeOf(params, meta.today, '7d');
    const grain =
      params.get('grain') === 'hour' || params.get('grain') === 'day'
        ? (params.get('grain') as string)
        : range.days <= 2
          ? 'hour'
          : 'day';
    const reason = params.get('reason');
    const event = params.get('event');
    const source = params.get('source');
    const [data, all] = await Promise.all([
      api<Rejected>('rejected', {
        from: range.from,
        to: range.to,
        grain,
        reason,
        event,
        source,
        limit: '12',
      }),
      api<Rejected>('rejected', { from: range.from, to: range.to, grain, limit: '1' }),
    ]);
    const reasons = [...new Set(all.byEvent.map((e) => e.reason))].sort();
    const events = [...new Set(all.byEvent.map((e) => e.eventName))].sort();
    const sources = [...new Set(all.byEvent.map((e) => e.sourceId))].sort();
    filters.append(
      rangeControl(range),
      segmentedControl(
        'Grain',
        'grain',
        [
          { value: 'hour', label: 'Hour' },
          { value: 'day', label: 'Day' },
        ],
        grain,
      ),
      selectControl(
        'Reason',
        'reason',
        [{ value: '', label: 'All reasons' }, ...reasons.map((r) => ({ value: r, label: r }))],
        reason,
      ),
      selectControl(
        'Event',
        'event',
        [{ value: '', label: 'All events' }, ...events.map((e) => ({ value: e, label: e }))],
        event,
      ),
      selectControl(
        'Source',
        'source',
        [{ value: '', label: 'All sources' }, ...sources.map((s) => ({ value: s, label: s }))],
        source,
      ),
    );
    const periods = periodsOf(range, grain);
    const shown = [...new Set(data.trend.map((t) => t.reason))].sort();
    const total = data.byEvent.reduce((s, e) => s + e.events, 0);
    const color = (r: string) => PALETTE[(reasons.indexOf(r) + 2) % PALETTE.length] ?? '';
    content.append(
      h(
        'div',
        { class: 'stats' },
        h(
          'div',
          { class: 'stat', 'data-stat': 'rejected' },
          h('span', { class: 'stat-label' }, 'Rejected events'),
          h('span', { class: 'stat-value' }, fmtNumber(total)),
        ),
        h(
          'div',
          { class: 'stat', 'data-stat': 'reasons' },
          h('span', { class: 'stat-label' }, 'Reasons'),
          h('span', { class: 'stat-value' }, fmtNumber(shown.length)),
        ),
      ),
      chartCard({
        id: 'rejected-by-reason',
        kind: 'stacked',
        title: 'Rejected events by reason',
        subtitle: `Per ${grain} of loading`,
        unit: 'number',
        x: 'period',
        xLabel: (p) => fmtPeriod(p, grain),
        series: shown.map((r) => ({ key: r, label: r, color: color(r) })),
        dataset: {
          columns: [{ key: 'period', label: 'Period' }, ...shown.map((r) => ({ key: r, label: r }))],
          rows: periods.map((p) => ({
            period: p,
            ...Object.fromEntries(
              shown.map((r) => [r, data.trend.find((t) => t.period === p && t.reason === r)?.events ?? 0]),
            ),
          })),
        },
      }),
      tableCard({
        id: 'rejected-by-event',
        title: 'By event name, reason and source',
        subtitle: 'Click a row to keep only those events.',
        rows: data.byEvent,
        onRow: (e) => update({ event: e.eventName, reason: e.reason, source: e.sourceId }),
        columns: [
          { key: 'event_name', label: 'Event', value: (e) => e.eventName },
          {
            key: 'reason',
            label: 'Reason',
            value: (e) => e.reason,
            render: (e) =>
              h(
                'span',
                { class: 'badge', style: `border-color:${color(e.reason)};color:${color(e.reason)}` },
                e.reason,
              ),
          },
          { key: 'source_id', label: 'Source', value: (e) => e.sourceId },
          { key: 'events', label: 'Events', unit: 'number', value: (e) => e.events },
        ],
      }),
      h('h2', { class: 'section' }, `Latest ${data.sample.length} rejected events`),
      data.sample.length === 0
        ? h('section', { class: 'card' }, h('p', { class: 'empty' }, 'No rejected event in this range.'))
        : h(
            'div',
            { class: 'samples' },
            data.sample.map((s) =>
              h(
                'article',
                { class: 'card sample', 'data-sample': s.eventId ?? s.file },
                h(
                  'header',
                  { class: 'sample-head' },
                  h(
                    'span',
                    { class: 'badge', style: `border-color:${color(s.reason)};color:${color(s.reason)}` },
                    s.reason,
                  ),
                  h('b', {}, s.eventName),
                  h('span', { class: 'muted' }, `${s.sourceId} · ${fmtTime(s.receivedAt)}`),
                ),
                h(
                  'p',
                  { class: 'reason' },
                  s.message ?? '',
                  s.path ? h('code', {}, ` at ${s.path}`) : null,
                  s.keyword ? h('span', { class: 'muted' }, ` (${s.keyword})`) : null,
                ),
                h(
                  'pre',
                  { class: 'payload' },
                  pretty(s.event),
                  s.eventCut ? '\n… cut at 4,000 characters' : '',
                ),
                h(
                  'p',
                  { class: 'muted small' },
                  `event ${s.eventId ?? '–'} · workspace ${s.workspaceId ?? '–'} · user ${s.userId ?? '–'} · ${s.file}`,
                ),
              ),
            ),
          ),
    );
  },
};
