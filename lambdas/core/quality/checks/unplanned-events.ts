import { num, percent } from './check-sql.ts';
import { atMost, defineCheck, loadedBySource } from './define-check.ts';
import { positive } from './params.ts';

export interface UnplannedEventsParams {
  readonly lookbackMinutes: number;
  /** A source fails once this many of its events in the window are unplanned. */
  readonly minEvents: number;
}

export const UNPLANNED_EVENTS_DEFAULTS: UnplannedEventsParams = {
  lookbackMinutes: 60,
  minEvents: 1,
};

/**
 * unplanned-events: per source, the events accepted without a schema of their own (a source whose
 * tracking plan is `allow`; `raw.events.planned = false`), with their names, most events first, so
 * someone can write the schemas. Severity warn: unplanned events are accepted by design and lose
 * nothing, so the check informs (a ticket on AWS when it keeps failing), it never pages.
 */
export const unplannedEventsCheck = defineCheck<UnplannedEventsParams>(
  {
    name: 'unplanned-events',
    description:
      'Events accepted without a schema of their own (tracking plan allow), per source, with their names: the schemas to write.',
    severity: 'warn',
    metric: { name: 'UnplannedEvents', unit: 'Count', dimensions: ['SourceId'] },
    rules: { lookbackMinutes: positive, minEvents: positive },
    async run(context, params) {
      const sources = await loadedBySource(context, params.lookbackMinutes, 'unplanned_events', [
        'events_by_source',
        'unplanned_names',
      ]);
      // the SQL orders the names: most events first, then by name
      return sources.map(([source, total, top]) => {
        const events = num(total.events);
        const unplanned = num(total.unplanned_events);
        const sample = top
          .slice(0, context.sampleSize)
          .map((n) => `${String(n.event_name)} (${num(n.events)})`);
        const detail =
          unplanned === 0
            ? `all ${events} events have a schema`
            : `${unplanned} of ${events} events (${percent(unplanned, events)} %) have no schema, under ${num(total.unplanned_names)} event name(s): write schemas for them (docs/EVENTS.md, Tracking plans)`;
        const fails = unplanned >= params.minEvents;
        return {
          result: atMost(`source=${source}`, unplanned, params.minEvents - 1, sample, detail, fails),
          dimensions: [source],
        };
      });
    },
  },
  UNPLANNED_EVENTS_DEFAULTS,
);
