import { num, percent } from './check-sql.ts';
import { defineCheck, judgeRate, loadedBySource, type RateParams, sampleOf } from './define-check.ts';
import { nonNegative, percentage, positive } from './params.ts';

/** maxPercent: highest share of a source's events that may drift, per direction. */
export interface TimestampDriftParams extends RateParams {
  /** event_ts later than received_at by more than this is drift to the future. */
  readonly futureMinutes: number;
  /** event_ts earlier than received_at by more than this is drift to the past (the late-data window). */
  readonly pastHours: number;
}

export const TIMESTAMP_DRIFT_DEFAULTS: TimestampDriftParams = {
  lookbackMinutes: 60,
  futureMinutes: 5,
  pastHours: 72,
  maxPercent: 1,
  minCount: 10,
};

const DIRECTIONS = ['future', 'past'] as const;

/**
 * timestamp-drift: per source and direction, the share of events whose event time is more than a few
 * minutes in the future or more than 72 h in the past of the server receipt time. Offending keys: the
 * dedup keys of the most drifted events.
 */
export const timestampDriftCheck = defineCheck<TimestampDriftParams>(
  {
    name: 'timestamp-drift',
    description: 'Share of events timed more than a few minutes ahead of, or 72 h behind, their receipt.',
    severity: 'warn',
    metric: { name: 'TimestampDriftRate', unit: 'Percent', dimensions: ['SourceId', 'Direction'] },
    rules: {
      lookbackMinutes: positive,
      futureMinutes: positive,
      pastHours: positive,
      maxPercent: percentage,
      minCount: nonNegative,
    },
    async run(context, params) {
      const sources = await loadedBySource(
        context,
        params.lookbackMinutes,
        'timestamp_drift',
        ['events_by_source', 'drifted'],
        { future_seconds: params.futureMinutes * 60, past_seconds: params.pastHours * 3600 },
      );
      return sources.flatMap(([source, total, drifted]) =>
        DIRECTIONS.map((direction) => {
          const rows = drifted.filter((d) => d.direction === direction);
          const count = num(rows[0]?.drifted);
          const limit =
            direction === 'future' ? `${params.futureMinutes} min ahead of` : `${params.pastHours} h behind`;
          const detail = `${count} of ${num(total.events)} events timed more than ${limit} their receipt`;
          const rate = percent(count, num(total.events));
          const sample = sampleOf(context, rows, 'dedup_key');
          const bucket = `source=${source}|direction=${direction}`;
          return judgeRate(bucket, [source, direction], [rate, count], params, sample, detail);
        }),
      );
    },
  },
  TIMESTAMP_DRIFT_DEFAULTS,
);
