import { loadedWindow, num, percent, queryCheck } from './check-sql.ts';
import { defineCheck, type Judged, judgeRate, sampleOf } from './define-check.ts';
import { nonNegative, percentage, positive } from './params.ts';

export interface RejectionRateParams {
  readonly lookbackMinutes: number;
  /** Highest share (percent) of a source's events one reject reason may take. */
  readonly maxPercentPerReason: number;
  /** Highest share (percent) of a source's events that may be rejected for any reason. */
  readonly maxPercentTotal: number;
  /** Fewer offending events than this never fail, whatever the rate (small sources are noisy). */
  readonly minCount: number;
}

export const REJECTION_RATE_DEFAULTS: RejectionRateParams = {
  lookbackMinutes: 60,
  maxPercentPerReason: 2,
  maxPercentTotal: 5,
  minCount: 10,
};

/** Reason dimension value of the all-reasons bucket. */
export const ALL_REASONS = 'ALL';

/**
 * rejection-rate: per source, the share of events (validated + rejected) rejected for each reason, and
 * for all reasons together. A schema deploy that breaks a client, or a client sending a new event
 * without a schema, shows here. Offending keys: event ids (or file#row) of recent rejected events.
 */
export const rejectionRateCheck = defineCheck<RejectionRateParams>(
  {
    name: 'rejection-rate',
    description: 'Share of events rejected by the validator, per source and reason and in total.',
    severity: 'error',
    metric: { name: 'RejectionRate', unit: 'Percent', dimensions: ['SourceId', 'Reason'] },
    rules: {
      lookbackMinutes: positive,
      maxPercentPerReason: percentage,
      maxPercentTotal: percentage,
      minCount: nonNegative,
    },
    async run(context, params) {
      const window = loadedWindow(context.now, params.lookbackMinutes);
      const validated = await queryCheck(context, 'rejection_rate', 'validated_by_source', window);
      const rejected = await queryCheck(context, 'rejection_rate', 'rejected_by_source_and_reason', window);
      const samples = await queryCheck(context, 'rejection_rate', 'rejected_sample', window);
      const sources = [...new Set([...validated, ...rejected].map((r) => String(r.source_id)))].sort();
      return sources.flatMap((source) => {
        const reasons = rejected
          .filter((r) => r.source_id === source)
          .map((r) => ({ reason: String(r.reason_code), events: num(r.events) }))
          .sort((a, b) => a.reason.localeCompare(b.reason));
        const rejectedEvents = reasons.reduce((sum, r) => sum + r.events, 0);
        const all = num(validated.find((v) => v.source_id === source)?.events) + rejectedEvents;
        // one reason's bucket, or (reason undefined) the all-reasons one
        const judge = (reason: string | undefined, events: number, maxPercent: number): Judged => {
          const ofReason = samples.filter(
            (s) => s.source_id === source && (reason === undefined || s.reason_code === reason),
          );
          const detail = `${events} of ${all} events rejected${reason === undefined ? '' : ` with ${reason}`}`;
          const dimensions = [source, reason ?? ALL_REASONS];
          const limits = { maxPercent, minCount: params.minCount };
          const rate = percent(events, all);
          return judgeRate(
            `source=${source}|reason=${dimensions[1]}`,
            dimensions,
            [rate, events],
            limits,
            sampleOf(context, ofReason),
            detail,
          );
        };
        return [
          ...reasons.map(({ reason, events }) => judge(reason, events, params.maxPercentPerReason)),
          judge(undefined, rejectedEvents, params.maxPercentTotal),
        ];
      });
    },
  },
  REJECTION_RATE_DEFAULTS,
);
