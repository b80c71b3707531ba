import type { BucketResult, CheckContext, MetricDatum, MetricSpec, QualityCheck } from '../check.ts';
import { datum } from '../check.ts';
import { loadedWindow, num, percent, queryCheck } from './check-sql.ts';
import { assertParams, nonNegative, percentage, positive } from './params.ts';

export interface TimestampDriftParams {
  readonly lookbackMinutes: number;
  /** event_ts later than received_at by more than this is drift to the future. */
  readonly futureMinutes: number;
  /** event_ts earlier than received_at by more than this is drift to the past (the late-data window). */
  readonly pastHours: number;
  /** Highest share (percent) of a source's events that may drift, per direction. */
  readonly maxPercent: number;
  /** Fewer offending events than this never fail, whatever the rate (small sources are noisy). */
  readonly minCount: number;
}

export const TIMESTAMP_DRIFT_DEFAULTS: TimestampDriftParams = {
  lookbackMinutes: 60,
  futureMinutes: 5,
  pastHours: 72,
  maxPercent: 1,
  minCount: 10,
};

const METRIC: MetricSpec = {
  name: 'TimestampDriftRate',
  unit: 'Percent',
  dimensions: ['SourceId', 'Direction'],
};
const DIRECTIONS = ['future', 'past'] as const;

/**
 * timestamp-drift: per source and direction, the share of events whose event time is more than a few
 * minutes in the future or more than 72 h in the past of the server receipt time. Offending keys: the
 * dedup keys of the most drifted events.
 */
export const timestampDriftCheck = (
  params: TimestampDriftParams = TIMESTAMP_DRIFT_DEFAULTS,
): QualityCheck<TimestampDriftParams> => {
  assertParams('timestamp-drift', [
    positive('lookbackMinutes', params.lookbackMinutes),
    positive('futureMinutes', params.futureMinutes),
    positive('pastHours', params.pastHours),
    percentage('maxPercent', params.maxPercent),
    nonNegative('minCount', params.minCount),
  ]);
  return {
    name: 'timestamp-drift',
    description: 'Share of events timed more than a few minutes ahead of, or 72 h behind, their receipt.',
    severity: 'warn',
    params,
    metric: METRIC,
    async run(context: CheckContext) {
      const window = loadedWindow(context.now, params.lookbackMinutes);
      const totals = await queryCheck(context, 'timestamp_drift', 'events_by_source', window);
      const drifted = await queryCheck(context, 'timestamp_drift', 'drifted', {
        ...window,
        future_seconds: params.futureMinutes * 60,
        past_seconds: params.pastHours * 3600,
      });
      const buckets: BucketResult[] = [];
      const metrics: MetricDatum[] = [];
      for (const total of [...totals].sort((a, b) =>
        String(a.source_id).localeCompare(String(b.source_id)),
      )) {
        const source = String(total.source_id);
        for (const direction of DIRECTIONS) {
          const rows = drifted.filter((d) => d.source_id === total.source_id && d.direction === direction);
          const count = num(rows[0]?.drifted);
          const rate = percent(count, num(total.events));
          const limit =
            direction === 'future' ? `${params.futureMinutes} min ahead of` : `${params.pastHours} h behind`;
          buckets.push({
            bucket: `source=${source}|direction=${direction}`,
            status: rate > params.maxPercent && count >= params.minCount ? 'fail' : 'pass',
            observed: rate,
            expectedMin: 0,
            expectedMax: params.maxPercent,
            sample: rows.slice(0, context.sampleSize).map((r) => String(r.dedup_key)),
            detail: `${count} of ${num(total.events)} events timed more than ${limit} their receipt`,
          });
          metrics.push(datum(METRIC, [source, direction], rate));
        }
      }
      return { buckets, metrics };
    },
  };
};
