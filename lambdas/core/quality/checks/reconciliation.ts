import { factHorizon } from '#core/warehouse/models/retention.ts';
import { DEFAULT_TRANSFORM_SETTINGS } from '#core/warehouse/settings.ts';
import { toSqlTimestamp } from '#core/warehouse/time.ts';
import { readTimestamp } from '#core/warehouse/values.ts';
import type { BucketResult, CheckContext, MetricDatum, MetricSpec } from '../check.ts';
import { datum } from '../check.ts';
import { factDays, num, queryCheck } from './check-sql.ts';
import { atMost, defineCheck, sampleOf } from './define-check.ts';
import { nonNegative, positive } from './params.ts';

export interface ReconciliationParams {
  /** Events received (collector leg) or loaded (curated leg) in the last this many hours are reconciled. */
  readonly lookbackHours: number;
  /** The collector leg ignores the last minutes: events in flight to raw (target 2 min, plus buffering). */
  readonly rawSettleMinutes: number;
  /** The curated leg ignores rows loaded in the last minutes: the next transform run has not taken them yet. */
  readonly curatedSettleMinutes: number;
  /** Largest |gap| per (source, event name) that still passes. */
  readonly maxGap: number;
}

export const RECONCILIATION_DEFAULTS: ReconciliationParams = {
  lookbackHours: 24,
  rawSettleMinutes: 5,
  curatedSettleMinutes: 15,
  maxGap: 0,
};

export const COLLECTOR_TO_RAW = 'collector_to_raw';
export const RAW_TO_CURATED = 'raw_to_curated';

const METRIC: MetricSpec = { name: 'ReconciliationGap', unit: 'Count', dimensions: ['Leg', 'SourceId'] };
const MINUTE_MS = 60_000;

/** -maxGap, without a negative zero in the results. */
const lowestGap = (params: ReconciliationParams): number => (params.maxGap === 0 ? 0 : -params.maxGap);

const floorMinute = (ms: number): Date => new Date(Math.floor(ms / MINUTE_MS) * MINUTE_MS);
const seriesKey = (source: string, event: string) => `${source}\u0000${event}`;
const sourceOf = (key: string) => key.split('\u0000')[0] ?? '';

/**
 * reconciliation: end to end, nothing is lost or doubled.
 * - collector_to_raw: per (source, event name), events the collector accepted = rows landed in
 *   raw.events + raw.rejected_events (validated + rejected, and lines the loader could not load, as
 *   UNLOADABLE_LINE rows: landed, not lost; the unloadable-lines check reports them), for events received in the lookback
 *   window up to a settle time ago. Offending keys: the minutes with a gap (`minute accepted/landed`).
 *   Needs the collector's accepted counts; without them this leg is skipped.
 * - raw_to_curated: per (source, event name), dedup keys of raw.events (loaded before the settle time)
 *   missing from curated.fct_feature_events. Offending keys: the missing dedup keys.
 * A positive gap is loss, a negative one double counting; both fail.
 */
export const reconciliationCheck = defineCheck<ReconciliationParams>(
  {
    name: 'reconciliation',
    description:
      'Accepted by the collector = validated + rejected in raw; every raw event is in the fact table.',
    severity: 'error',
    metric: METRIC,
    rules: {
      lookbackHours: positive,
      rawSettleMinutes: positive,
      curatedSettleMinutes: positive,
      maxGap: nonNegative,
    },
    async run(context, params) {
      const collector = await collectorToRaw(context, params);
      const curated = await rawToCurated(context, params);
      return {
        buckets: [...collector.buckets, ...curated.buckets],
        metrics: [...collector.metrics, ...curated.metrics],
      };
    },
  },
  RECONCILIATION_DEFAULTS,
);

const gapMetrics = (leg: string, gaps: ReadonlyMap<string, number>): MetricDatum[] => {
  const bySource = new Map<string, number>();
  for (const [key, gap] of gaps)
    bySource.set(sourceOf(key), (bySource.get(sourceOf(key)) ?? 0) + Math.abs(gap));
  return [...bySource]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([source, gap]) => datum(METRIC, [leg, source], gap));
};

const collectorToRaw = async (context: CheckContext, params: ReconciliationParams) => {
  const from = floorMinute(context.now.getTime() - params.lookbackHours * 3_600_000);
  const until = floorMinute(context.now.getTime() - params.rawSettleMinutes * MINUTE_MS);
  if (!context.acceptedCounts) {
    const skipped: BucketResult = {
      bucket: `leg=${COLLECTOR_TO_RAW}`,
      status: 'skipped',
      observed: null,
      expectedMin: lowestGap(params),
      expectedMax: params.maxGap,
      sample: [],
      detail: 'no collector accepted counts configured for this deployment',
    };
    return { buckets: [skipped], metrics: [] };
  }
  const accepted = new Map<string, Map<number, number>>();
  const landed = new Map<string, Map<number, number>>();
  const unloadable = new Map<string, number>();
  const add = (into: Map<string, Map<number, number>>, key: string, minute: number, n: number) => {
    const minutes = into.get(key) ?? new Map<number, number>();
    minutes.set(minute, (minutes.get(minute) ?? 0) + n);
    into.set(key, minutes);
  };
  for (const c of await context.acceptedCounts.between(from, until)) {
    add(accepted, seriesKey(c.sourceId, c.eventName), c.minute.getTime(), c.accepted);
  }
  const rows = await queryCheck(context, 'reconciliation', 'landed_by_minute', {
    received_from: toSqlTimestamp(from),
    received_before: toSqlTimestamp(until),
  });
  for (const r of rows) {
    const minute = readTimestamp(r.received_minute)?.getTime() ?? 0;
    const key = seriesKey(String(r.source_id), String(r.event_name ?? ''));
    add(landed, key, minute, num(r.landed));
    unloadable.set(key, (unloadable.get(key) ?? 0) + num(r.unloadable));
  }
  const gaps = new Map<string, number>();
  const buckets: BucketResult[] = [];
  for (const key of [...new Set([...accepted.keys(), ...landed.keys()])].sort()) {
    const [source = '', event = ''] = key.split('\u0000');
    const a = accepted.get(key) ?? new Map<number, number>();
    const l = landed.get(key) ?? new Map<number, number>();
    const sum = (m: Map<number, number>) => [...m.values()].reduce((s, n) => s + n, 0);
    const gap = sum(a) - sum(l);
    gaps.set(key, gap);
    const minutes = [...new Set([...a.keys(), ...l.keys()])].sort((x, y) => x - y);
    const offending = minutes
      .filter((m) => (a.get(m) ?? 0) !== (l.get(m) ?? 0))
      .map((m) => `${new Date(m).toISOString().slice(0, 16)} ${a.get(m) ?? 0}/${l.get(m) ?? 0}`);
    buckets.push({
      bucket: `leg=${COLLECTOR_TO_RAW}|source=${source}|event=${event}`,
      status: Math.abs(gap) > params.maxGap ? 'fail' : 'pass',
      observed: gap,
      expectedMin: lowestGap(params),
      expectedMax: params.maxGap,
      sample: offending.slice(0, context.sampleSize),
      detail:
        `accepted ${sum(a)}, landed in raw ${sum(l)}` +
        `${unloadable.get(key) ? ` (${unloadable.get(key)} as unloadable lines: see unloadable-lines)` : ''}` +
        ` (received ${from.toISOString()} to ${until.toISOString()})`,
    });
  }
  return { buckets, metrics: gapMetrics(COLLECTOR_TO_RAW, gaps) };
};

const rawToCurated = async (context: CheckContext, params: ReconciliationParams) => {
  const window = {
    loaded_after: toSqlTimestamp(new Date(context.now.getTime() - params.lookbackHours * 3_600_000)),
    loaded_until: toSqlTimestamp(new Date(context.now.getTime() - params.curatedSettleMinutes * MINUTE_MS)),
  };
  const values = {
    ...window,
    ...(await factDays(context, window, DEFAULT_TRANSFORM_SETTINGS.dedupWindowDays)),
    event_from: toSqlTimestamp(factHorizon(context.now, DEFAULT_TRANSFORM_SETTINGS)),
    dedup_window_days: DEFAULT_TRANSFORM_SETTINGS.dedupWindowDays,
    future_tolerance_minutes: DEFAULT_TRANSFORM_SETTINGS.futureToleranceMinutes,
  };
  const series = await queryCheck(context, 'reconciliation', 'raw_keys_by_series', values);
  const missing = await queryCheck(context, 'reconciliation', 'missing_in_fact', values);
  const gaps = new Map<string, number>();
  const buckets: BucketResult[] = [];
  const ordered = [...series].sort((x, y) =>
    seriesKey(String(x.source_id), String(x.event_name)).localeCompare(
      seriesKey(String(y.source_id), String(y.event_name)),
    ),
  );
  for (const s of ordered) {
    const source = String(s.source_id);
    const event = String(s.event_name);
    const rows = missing.filter((m) => m.source_id === s.source_id && m.event_name === s.event_name);
    const gap = num(rows[0]?.missing);
    gaps.set(seriesKey(source, event), gap);
    const detail = `${gap} of ${num(s.raw_keys)} raw event key(s) missing from curated.fct_feature_events`;
    const bucket = `leg=${RAW_TO_CURATED}|source=${source}|event=${event}`;
    buckets.push(atMost(bucket, gap, params.maxGap, sampleOf(context, rows, 'dedup_key'), detail));
  }
  return { buckets, metrics: gapMetrics(RAW_TO_CURATED, gaps) };
};
