import { api } from '../api.ts';
import { chartCard } from '../charts.ts';
import { rangeControl, rangeOf, segmentedControl } from '../controls.ts';
import { h } from '../dom.ts';
import { fmtNumber, fmtPercent, fmtPeriod, fmtSeconds, fmtTime } from '../format.ts';
import type { Page } from '../page.ts';
import { onAxis, periodsOf } from '../periods.ts';
import { navigate } from '../state.ts';
import { P50, P95, PALETTE, type Signal, STATUS_COLORS, STATUS_LABELS, TERMS } from '../theme.ts';

interface Percentiles {
  signal: Signal;
  latest: number | null;
  p50: number | null;
  p95: number | null;
  trend: { period: string; p50: number | null; p95: number | null }[];
}
export interface CheckSummary {
  name: string;
  severity: 'error' | 'warn';
  description: string;
  status: string;
  signal: Signal;
  checkedAt: string | null;
  buckets: number;
  failingBuckets: number;
  runbook: string;
}
interface Health {
  signal: Signal;
  checks: CheckSummary[];
  rawFreshness: Percentiles;
  curatedFreshness: Percentiles;
  completeness: {
    signal: Signal;
    latest: number | null;
    trend: { period: string; unaccounted: number | null }[];
  };
  rejectRate: {
    signal: Signal;
    events: number;
    rate: number | null;
    reasons: { reason: string; rejected: number; rate: number | null }[];
    trend: { period: string; events: number; rate: number | null; byReason: Record<string, number | null> }[];
  };
  anomalies: { signal: Signal; latest: number; trend: { period: string; anomalies: number | null }[] };
  failingChecks: { signal: Signal; latest: number; trend: { period: string; failing: number | null }[] };
}

export const signalDot = (signal: Signal): HTMLElement =>
  h('span', {
    class: `dot ${signal}`,
    title: STATUS_LABELS[signal],
    style: `background:${STATUS_COLORS[signal]}`,
  });

export const statusPill = (signal: Signal, text = STATUS_LABELS[signal]): HTMLElement =>
  h('span', { class: `pill ${signal}`, 'data-signal': signal }, signalDot(signal), text);

const tile = (
  id: string,
  label: string,
  signal: Signal,
  value: string,
  note: string,
  target: () => void,
): HTMLElement =>
  h(
    'button',
    { class: `tile ${signal}`, type: 'button', 'data-tile': id, onclick: target },
    h('span', { class: 'tile-label' }, signalDot(signal), label),
    h('span', { class: 'tile-value', 'data-value': id }, value),
    h('span', { class: 'tile-note' }, note),
  );

export const healthPage: Page = {
  name: 'health',
  title: 'Health',
  lede: 'Is the pipeline delivering complete, fresh data? What the quality checks observed, run by run.',
  icon: 'M3 13h4l3-8 4 14 3-6h4',
  async render({ params, meta, filters, content }) {
    const range = rangeOf(params, meta.today, '7d');
    const grain =
      params.get('grain') === 'hour' || params.get('grain') === 'day'
        ? (params.get('grain') as string)
        : range.days <= 2
          ? 'hour'
          : 'day';
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
    );
    const health = await api<Health>('health', { from: range.from, to: range.to, grain });
    const label = (p: string) => fmtPeriod(p, grain);
    const axis = periodsOf(range, grain);
    const attention = health.checks.filter((c) => c.signal === 'red' || c.signal === 'amber');
    const toQuality = (check?: string) => () =>
      navigate('quality', {
        range: params.get('range'),
        from: params.get('from'),
        to: params.get('to'),
        check,
      });

    const summary = h(
      'section',
      { class: `card summary ${health.signal}`, 'data-summary': health.signal },
      h(
        'div',
        { class: 'summary-head' },
        statusPill(health.signal),
        h(
          'h2',
          {},
          attention.length === 0
            ? 'Every check passes'
            : `${attention.length} of ${health.checks.length} checks need attention`,
        ),
      ),
      attention.length === 0
        ? h(
            'p',
            { class: 'muted' },
            'Freshness, completeness, rejects, volumes and keys are within their targets at the latest run.',
          )
        : h(
            'ul',
            { class: 'attention' },
            attention.map((c) =>
              h(
                'li',
                { 'data-check': c.name },
                signalDot(c.signal),
                h('b', {}, c.name),
                h(
                  'span',
                  { class: 'muted' },
                  ` ${c.status === 'error' ? 'could not run' : `${c.failingBuckets} of ${c.buckets} failing`} · ${c.description}`,
                ),
                h('a', { href: c.runbook, target: '_blank', rel: 'noopener', class: 'runbook' }, 'Runbook →'),
              ),
            ),
          ),
    );

    const tiles = h(
      'div',
      { class: 'tiles' },
      tile(
        'raw-freshness',
        `${TERMS.rawFreshness} · p95`,
        health.rawFreshness.signal,
        fmtSeconds(health.rawFreshness.p95),
        `p50 ${fmtSeconds(health.rawFreshness.p50)} · latest ${fmtSeconds(health.rawFreshness.latest)}`,
        toQuality('freshness-raw'),
      ),
      tile(
        'curated-freshness',
        `${TERMS.curatedFreshness} · p95`,
        health.curatedFreshness.signal,
        fmtSeconds(health.curatedFreshness.p95),
        `p50 ${fmtSeconds(health.curatedFreshness.p50)} · latest ${fmtSeconds(health.curatedFreshness.latest)}`,
        toQuality('freshness-curated'),
      ),
      tile(
        'completeness',
        TERMS.completeness,
        health.completeness.signal,
        fmtNumber(health.completeness.latest),
        'lost or doubled, at the latest reconciliation',
        toQuality('reconciliation'),
      ),
      tile(
        'reject-rate',
        TERMS.rejectRate,
        health.rejectRate.signal,
        fmtPercent(health.rejectRate.rate),
        `of ${fmtNumber(health.rejectRate.events)} events loaded`,
        () =>
          navigate('rejected', {
            range: params.get('range'),
            from: params.get('from'),
            to: params.get('to'),
          }),
      ),
      tile(
        'anomalies',
        TERMS.anomalies,
        health.anomalies.signal,
        fmtNumber(health.anomalies.latest),
        'hourly and daily, at the latest run',
        toQuality('volume-hourly'),
      ),
      tile(
        'failing-checks',
        TERMS.failingChecks,
        health.failingChecks.signal,
        fmtNumber(health.failingChecks.latest),
        `of ${health.checks.length} at the latest run`,
        toQuality(),
      ),
    );

    const freshness = (id: string, title: string, data: Percentiles, color: string) =>
      chartCard({
        id,
        kind: 'line',
        title,
        subtitle: `p50 and p95 of what the check observed per ${grain}`,
        unit: 'seconds',
        x: 'period',
        xLabel: label,
        series: [
          { key: 'p50', label: P50.label, color, dashed: P50.dashed },
          { key: 'p95', label: P95.label, color, dashed: P95.dashed },
        ],
        dataset: {
          columns: [
            { key: 'period', label: 'Period' },
            { key: 'p50', label: 'p50 (s)' },
            { key: 'p95', label: 'p95 (s)' },
          ],
          rows: onAxis(axis, data.trend, (period) => ({ period, p50: null, p95: null })).map((t) => ({
            period: t.period,
            p50: t.p50,
            p95: t.p95,
          })),
        },
      });
    const reasons = health.rejectRate.reasons.map((r) => r.reason);
    const charts = h(
      'div',
      { class: 'grid two' },
      freshness('raw-freshness', TERMS.rawFreshness, health.rawFreshness, PALETTE[0] ?? ''),
      freshness('curated-freshness', TERMS.curatedFreshness, health.curatedFreshness, PALETTE[1] ?? ''),
      chartCard({
        id: 'completeness',
        kind: 'bar',
        title: TERMS.completeness,
        subtitle: `Most events lost or doubled in one reconciliation run, per ${grain}`,
        unit: 'number',
        x: 'period',
        xLabel: label,
        series: [{ key: 'unaccounted', label: TERMS.completeness, color: STATUS_COLORS.red }],
        dataset: {
          columns: [
            { key: 'period', label: 'Period' },
            { key: 'unaccounted', label: 'Unaccounted events' },
          ],
          rows: onAxis(axis, health.completeness.trend, (period) => ({ period, unaccounted: null })),
        },
      }),
      chartCard({
        id: 'reject-rate',
        kind: 'stacked',
        title: `${TERMS.rejectRate} by reason`,
        subtitle: `Share of the events loaded per ${grain} that the validator rejected`,
        unit: 'percent',
        x: 'period',
        xLabel: label,
        series: reasons.map((r, i) => ({ key: r, label: r, color: PALETTE[(i + 2) % PALETTE.length] ?? '' })),
        dataset: {
          columns: [
            { key: 'period', label: 'Period' },
            { key: 'events', label: 'Events loaded' },
            ...reasons.map((r) => ({ key: r, label: `${r} (%)` })),
          ],
          rows: onAxis(axis, health.rejectRate.trend, (period) => ({
            period,
            events: 0,
            rate: null,
            byReason: {},
          })).map((t) => ({ period: t.period, events: t.events, ...t.byReason })),
        },
      }),
      chartCard({
        id: 'anomalies',
        kind: 'bar',
        title: TERMS.anomalies,
        subtitle: `Most failing volume buckets in one run, per ${grain}`,
        unit: 'number',
        x: 'period',
        xLabel: label,
        series: [{ key: 'anomalies', label: TERMS.anomalies, color: STATUS_COLORS.amber }],
        dataset: {
          columns: [
            { key: 'period', label: 'Period' },
            { key: 'anomalies', label: 'Anomalies' },
          ],
          rows: onAxis(axis, health.anomalies.trend, (period) => ({ period, anomalies: null })),
        },
      }),
      chartCard({
        id: 'failing-checks',
        kind: 'bar',
        title: TERMS.failingChecks,
        subtitle: `Most checks failing in one run, per ${grain}`,
        unit: 'number',
        x: 'period',
        xLabel: label,
        series: [{ key: 'failing', label: TERMS.failingChecks, color: STATUS_COLORS.red }],
        dataset: {
          columns: [
            { key: 'period', label: 'Period' },
            { key: 'failing', label: 'Failing checks' },
          ],
          rows: onAxis(axis, health.failingChecks.trend, (period) => ({ period, failing: null })),
        },
      }),
    );

    const checks = h(
      'section',
      { class: 'card' },
      h(
        'header',
        { class: 'card-head' },
        h(
          'div',
          {},
          h('h3', {}, 'Checks at their latest run'),
          h('p', { class: 'muted' }, 'Each links to its runbook: what the check means and what to do.'),
        ),
      ),
      h(
        'div',
        { class: 'check-list' },
        health.checks.map((c) =>
          h(
            'div',
            { class: 'check-row', 'data-check': c.name, 'data-signal': c.signal },
            signalDot(c.signal),
            h('button', { type: 'button', class: 'link', onclick: toQuality(c.name) }, c.name),
            h('span', { class: `severity ${c.severity}` }, c.severity),
            h(
              'span',
              { class: 'muted' },
              c.status === 'not run' ? 'not run in the last 48 h' : `${c.status} · ${fmtTime(c.checkedAt)}`,
            ),
            h('a', { href: c.runbook, target: '_blank', rel: 'noopener', class: 'runbook' }, 'Runbook'),
          ),
        ),
      ),
    );
    content.append(summary, tiles, charts, checks);
  },
};
