import { api } from '../api.ts';
import { chartCard } from '../charts.ts';
import { rangeControl, rangeOf, segmentedControl } from '../controls.ts';
import { h } from '../dom.ts';
import { fmtNumber, fmtPeriod, fmtTime } from '../format.ts';
import type { Page } from '../page.ts';
import { onAxis, periodsOf } from '../periods.ts';
import { update } from '../state.ts';
import { tableCard } from '../table.ts';
import { PALETTE, type Signal, STATUS_COLORS } from '../theme.ts';
import { type CheckSummary, signalDot } from './health.ts';

interface Quality {
  checks: CheckSummary[];
  history: {
    period: string;
    check: string;
    runs: number;
    failingRuns: number;
    failingBuckets: number;
    status: string;
  }[];
  check: {
    name: string;
    buckets: {
      bucket: string;
      status: string;
      observed: number | null;
      expectedMin: number | null;
      expectedMax: number | null;
      offendingKeys: string[];
      detail: string | null;
      checkedAt: string | null;
    }[];
    observed: { period: string; highest: number | null; failingResults: number }[];
  } | null;
}
interface Lineage {
  runs: {
    runId: string;
    mode: string;
    status: string;
    startedAt: string;
    finishedAt: string;
    models: number;
    factRowsRead: number;
    factRowsWritten: number;
    rowsWritten: number;
    loads: number;
  }[];
  run: {
    runId: string;
    found: boolean;
    loads: string[];
    models: {
      model: string;
      status: string;
      startedAt: string;
      durationMs: number;
      rowsRead: number;
      rowsWritten: number;
      error: string | null;
    }[];
  } | null;
  builds: {
    eventName: string;
    schemaVersion: string;
    validatorBuild: string | null;
    events: number;
    firstLoadedAt: string;
    lastLoadedAt: string;
  }[];
}

const STATUS_PIECES = [
  { value: 0, label: 'pass', color: STATUS_COLORS.green },
  { value: 1, label: 'skipped', color: STATUS_COLORS.grey },
  { value: 2, label: 'could not run', color: STATUS_COLORS.amber },
  { value: 3, label: 'fail', color: STATUS_COLORS.red },
];
const RANK: Record<string, number> = { pass: 0, skipped: 1, error: 2, fail: 3 };
const bucketSignal = (status: string): Signal =>
  status === 'fail' ? 'red' : status === 'error' ? 'amber' : status === 'pass' ? 'green' : 'grey';

export const qualityPage: Page = {
  name: 'quality',
  title: 'Quality & lineage',
  lede: 'Every check’s latest result and history, the keys that failed, and which loads fed which model run.',
  icon: 'M12 2l8 4v6c0 5-3.5 8.5-8 10-4.5-1.5-8-5-8-10V6z M8.5 12l2.5 2.5 4.5-5',
  async render({ params, meta, filters, content }) {
    const range = rangeOf(params, meta.today, '7d');
    const grain =
      params.get('grain') === 'hour' || params.get('grain') === 'day'
        ? (params.get('grain') as string)
        : range.days <= 2
          ? 'hour'
          : 'day';
    const check = params.get('check');
    const run = params.get('run');
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
    const [quality, lineage] = await Promise.all([
      api<Quality>('quality', { from: range.from, to: range.to, grain, check }),
      api<Lineage>('lineage', { from: range.from, to: range.to, run }),
    ]);
    const label = (p: string) => fmtPeriod(p, grain);
    const axis = periodsOf(range, grain);
    const order = meta.checks.map((c) => c.name);

    const history = chartCard({
      id: 'check-history',
      kind: 'heatmap',
      title: 'Check history',
      subtitle: `Worst result of each check per ${grain}`,
      unit: 'number',
      x: 'period',
      y: 'check',
      value: 'status',
      xLabel: label,
      scale: { kind: 'pieces', pieces: STATUS_PIECES },
      yMargin: 150,
      dataset: {
        columns: [
          { key: 'period', label: 'Period' },
          { key: 'check', label: 'Check' },
          { key: 'status', label: 'Status (0 pass, 1 skipped, 2 could not run, 3 fail)' },
          { key: 'runs', label: 'Runs' },
          { key: 'failing_runs', label: 'Failing runs' },
        ],
        rows: [...quality.history]
          .sort((a, b) => a.period.localeCompare(b.period) || order.indexOf(a.check) - order.indexOf(b.check))
          .map((r) => ({
            period: r.period,
            check: r.check,
            status: RANK[r.status] ?? 0,
            runs: r.runs,
            failing_runs: r.failingRuns,
          })),
      },
      height: 360,
    });
    const checks = tableCard({
      id: 'checks',
      title: 'Checks',
      subtitle: 'Latest run of each. Click one for its buckets and offending keys.',
      rows: quality.checks,
      onRow: (c) => update({ check: c.name }),
      selected: (c) => c.name === check,
      columns: [
        {
          key: 'check',
          label: 'Check',
          value: (c) => c.name,
          render: (c) => h('span', { class: 'check-cell' }, signalDot(c.signal), c.name),
        },
        { key: 'severity', label: 'Severity', value: (c) => c.severity },
        { key: 'status', label: 'Status', value: (c) => c.status },
        { key: 'failing_buckets', label: 'Failing buckets', unit: 'number', value: (c) => c.failingBuckets },
        { key: 'buckets', label: 'Buckets', unit: 'number', value: (c) => c.buckets },
        {
          key: 'checked_at',
          label: 'Latest run',
          value: (c) => c.checkedAt,
          render: (c) => fmtTime(c.checkedAt),
        },
        {
          key: 'runbook',
          label: 'Runbook',
          value: (c) => c.runbook,
          render: (c) =>
            h(
              'a',
              {
                href: c.runbook,
                target: '_blank',
                rel: 'noopener',
                onclick: (e: Event) => e.stopPropagation(),
              },
              'Runbook',
            ),
        },
      ],
    });
    content.append(checks, history);

    if (quality.check) {
      const selected = quality.check;
      content.append(
        h(
          'h2',
          { class: 'section' },
          `${selected.name}`,
          h(
            'a',
            { href: `/runbooks/${selected.name}`, target: '_blank', rel: 'noopener', class: 'runbook' },
            'Runbook →',
          ),
        ),
        h(
          'div',
          { class: 'stack' },
          chartCard({
            id: 'check-observed',
            kind: 'line',
            title: 'Highest observed value',
            subtitle: `Over the check's judged buckets, per ${grain} (the pass range is in the buckets below)`,
            unit: 'number',
            x: 'period',
            xLabel: label,
            series: [{ key: 'highest', label: 'Highest observed', color: PALETTE[0] ?? '' }],
            dataset: {
              columns: [
                { key: 'period', label: 'Period' },
                { key: 'highest', label: 'Highest observed' },
                { key: 'failing_results', label: 'Failing buckets' },
              ],
              rows: onAxis(axis, selected.observed, (period) => ({
                period,
                highest: null,
                failingResults: 0,
              })).map((o) => ({ period: o.period, highest: o.highest, failing_results: o.failingResults })),
            },
          }),
          tableCard({
            id: 'check-buckets',
            title: 'Buckets at the latest run',
            subtitle: 'Failing first, with the keys that let you find the rows.',
            rows: selected.buckets,
            columns: [
              {
                key: 'bucket',
                label: 'Bucket',
                value: (b) => b.bucket,
                render: (b) =>
                  h(
                    'span',
                    { class: 'check-cell' },
                    signalDot(bucketSignal(b.status)),
                    h('code', {}, b.bucket),
                  ),
              },
              { key: 'observed', label: 'Observed', unit: 'number', value: (b) => b.observed },
              {
                key: 'expected',
                label: 'Pass range',
                value: (b) => `${b.expectedMin ?? '−∞'} … ${b.expectedMax ?? '∞'}`,
              },
              {
                key: 'offending_keys',
                label: 'Offending keys',
                value: (b) => b.offendingKeys.join(' '),
                render: (b) =>
                  h(
                    'span',
                    { class: 'keys' },
                    b.offendingKeys.slice(0, 5).map((k) => h('code', {}, k)),
                    b.offendingKeys.length > 5 ? ` +${b.offendingKeys.length - 5}` : '',
                  ),
              },
              { key: 'detail', label: 'Detail', value: (b) => b.detail },
            ],
          }),
        ),
      );
    }

    content.append(h('h2', { class: 'section' }, 'Lineage'));
    const runs = tableCard({
      id: 'model-runs',
      title: 'Model runs',
      subtitle: 'The latest transform runs in the range; click one for its models and the raw files it read.',
      rows: lineage.runs,
      onRow: (r) => update({ run: r.runId }),
      selected: (r) => r.runId === lineage.run?.runId,
      columns: [
        {
          key: 'finished_at',
          label: 'Finished',
          value: (r) => r.finishedAt,
          render: (r) => fmtTime(r.finishedAt),
        },
        { key: 'mode', label: 'Mode', value: (r) => r.mode },
        {
          key: 'status',
          label: 'Status',
          value: (r) => r.status,
          render: (r) =>
            h(
              'span',
              { class: 'check-cell' },
              signalDot(r.status === 'succeeded' ? 'green' : 'red'),
              r.status,
            ),
        },
        { key: 'loads', label: 'Files read', unit: 'number', value: (r) => r.loads },
        { key: 'fact_rows_read', label: 'Raw rows read', unit: 'number', value: (r) => r.factRowsRead },
        { key: 'fact_rows_written', label: 'Facts written', unit: 'number', value: (r) => r.factRowsWritten },
        { key: 'models', label: 'Models', unit: 'number', value: (r) => r.models },
        {
          key: 'run_id',
          label: 'Run',
          value: (r) => r.runId,
          render: (r) => h('code', {}, r.runId.slice(0, 8)),
        },
      ],
    });
    const detail = lineage.run
      ? tableCard({
          id: 'run-models',
          title: `Run ${lineage.run.runId.slice(0, 8)}: models`,
          subtitle: lineage.run.found
            ? `${fmtNumber(lineage.run.loads.length)} raw files fed it`
            : 'This run is not among the runs of the range.',
          rows: lineage.run.models,
          columns: [
            {
              key: 'model',
              label: 'Model',
              value: (m) => m.model,
              render: (m) =>
                h(
                  'span',
                  { class: 'check-cell' },
                  signalDot(m.status === 'succeeded' ? 'green' : 'red'),
                  m.model,
                ),
            },
            { key: 'rows_read', label: 'Rows read', unit: 'number', value: (m) => m.rowsRead },
            { key: 'rows_written', label: 'Rows written', unit: 'number', value: (m) => m.rowsWritten },
            { key: 'duration_ms', label: 'ms', unit: 'number', value: (m) => m.durationMs },
            { key: 'error', label: 'Error', value: (m) => m.error },
          ],
          footer: h(
            'details',
            { class: 'loads' },
            h('summary', {}, `Raw files read (${lineage.run.loads.length})`),
            h(
              'ul',
              {},
              lineage.run.loads.map((f) => h('li', {}, h('code', {}, f))),
            ),
          ),
        })
      : h('section', { class: 'card hint' }, h('p', { class: 'muted' }, 'No model run in this range.'));
    const builds = tableCard({
      id: 'rows-by-build',
      title: 'Raw rows by schema version and validator build',
      subtitle: 'Events loaded in the range (up to the latest transform run).',
      rows: lineage.builds,
      columns: [
        { key: 'event_name', label: 'Event', value: (b) => b.eventName },
        { key: 'schema_version', label: 'Schema version', value: (b) => b.schemaVersion },
        { key: 'validator_build', label: 'Validator build', value: (b) => b.validatorBuild },
        { key: 'events', label: 'Rows', unit: 'number', value: (b) => b.events },
        {
          key: 'last_loaded_at',
          label: 'Last loaded',
          value: (b) => b.lastLoadedAt,
          render: (b) => fmtTime(b.lastLoadedAt),
        },
      ],
    });
    content.append(h('div', { class: 'grid two' }, runs, detail), builds);
  },
};
