import type { BucketResult, CheckContext, MetricDatum, MetricSpec, QualityCheck } from '../check.ts';
import { datum } from '../check.ts';
import { loadedWindow, num, percent, queryCheck } from './check-sql.ts';
import { assertParams, positive } from './params.ts';

export interface UnplannedEventsParams {
  readonly lookbackMinutes: number;
  /** A source fails once this many of its events in the window are unplanned. */
  readonly minEvents: number;
}

export const UNPLANNED_EVENTS_DEFAULTS: UnplannedEventsParams = {
  lookbackMinutes: 60,
  minEvents: 1,
};

const METRIC: MetricSpec = { name: 'UnplannedEvents', unit: 'Count', dimensions: ['SourceId'] };

/**
 * unplanned-events: per source, the events accepted without a schema of their own (a source whose
 * tracking plan is `allow`; `raw.events.planned = false`), with their names, most events first, so
 * someone can write the schemas. Severity warn: unplanned events are accepted by design and lose
 * nothing, so the check informs (a ticket on AWS when it keeps failing), it never pages.
 */
export const unplannedEventsCheck = (
  params: UnplannedEventsParams = UNPLANNED_EVENTS_DEFAULTS,
): QualityCheck<UnplannedEventsParams> => {
  assertParams('unplanned-events', [
    positive('lookbackMinutes', params.lookbackMinutes),
    positive('minEvents', params.minEvents),
  ]);
  return {
    name: 'unplanned-events',
    description:
      'Events accepted without a schema of their own (tracking plan allow), per source, with their names: the schemas to write.',
    severity: 'warn',
    params,
    metric: METRIC,
    async run(context: CheckContext) {
      const values = loadedWindow(context.now, params.lookbackMinutes);
      const totals = await queryCheck(context, 'unplanned_events', 'events_by_source', values);
      const names = await queryCheck(context, 'unplanned_events', 'unplanned_names', values);
      const buckets: BucketResult[] = [];
      const metrics: MetricDatum[] = [];
      for (const total of [...totals].sort((a, b) =>
        String(a.source_id).localeCompare(String(b.source_id)),
      )) {
        const source = String(total.source_id);
        const events = num(total.events);
        const unplanned = num(total.unplanned_events);
        const nameCount = num(total.unplanned_names);
        // the SQL orders them: most events first, then by name
        const top = names.filter((n) => n.source_id === total.source_id);
        buckets.push({
          bucket: `source=${source}`,
          status: unplanned >= params.minEvents ? 'fail' : 'pass',
          observed: unplanned,
          expectedMin: 0,
          expectedMax: params.minEvents - 1,
          sample: top.slice(0, context.sampleSize).map((n) => `${String(n.event_name)} (${num(n.events)})`),
          detail:
            unplanned === 0
              ? `all ${events} events have a schema`
              : `${unplanned} of ${events} events (${percent(unplanned, events)} %) have no schema, under ${nameCount} event name(s): write schemas for them (docs/EVENTS.md, Tracking plans)`,
        });
        metrics.push(datum(METRIC, [source], unplanned));
      }
      return { buckets, metrics };
    },
  };
};
