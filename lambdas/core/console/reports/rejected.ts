import { readNumber, readString } from '#core/warehouse/values.ts';
import type { ConsoleReport } from '../report.ts';
import { checkWindow } from './checks.ts';

const FILE = 'console/rejected';
/** Longest event text a sample carries; a longer one is cut and flagged. */
const MAX_EVENT_CHARS = 4000;

/** The collected record is the collector's meta line, a newline, then the event exactly as the client sent it. */
const eventText = (record: string): string => {
  const newline = record.indexOf('\n');
  return newline < 0 ? record : record.slice(newline + 1);
};

/**
 * `rejected`: events the validator rejected, loaded in the range (default the last 7 days): counts per
 * period (`grain`) and reason, per event name, reason and source, and the latest `limit` events with
 * their exact reason and the event as the client sent it (for fixing a client). Filters: `reason`,
 * `event`, `source`.
 */
export const rejectedReport: ConsoleReport = {
  name: 'rejected',
  summary: 'rejected events by reason and event name, and recent payloads with their exact reason',
  prepare(params, { today }) {
    const range = params.range(today, 7);
    const grain = params.oneOf('grain', ['hour', 'day'] as const, 'day');
    const reason = params.key('reason');
    const event = params.key('event');
    const source = params.key('source');
    const limit = params.integer('limit', 1, 100, 20);
    return {
      params: { ...range, grain, reason, event, source, limit },
      async run(reads) {
        const values = { ...checkWindow(range), grain, reason, event, source, max_rows: limit };
        const trend = await reads.template(FILE, 'filtered', { by_period: 'on' }, values);
        const byEvent = await reads.template(FILE, 'filtered', { by_event: 'on' }, values);
        const sample = await reads.template(FILE, 'filtered', { sample: 'on' }, values);
        return {
          trend: trend.map((t) => ({
            period: String(t.period),
            reason: String(t.reason_code),
            events: readNumber(t.events) ?? 0,
          })),
          byEvent: byEvent.map((e) => ({
            eventName: String(e.event_name),
            reason: String(e.reason_code),
            sourceId: String(e.source_id),
            events: readNumber(e.events) ?? 0,
          })),
          sample: sample.map((s) => {
            const text = eventText(String(s.raw_record));
            return {
              receivedAt: String(s.received_at),
              loadedAt: String(s.loaded_at),
              sourceId: String(s.source_id),
              eventName: String(s.event_name),
              eventId: readString(s.event_id),
              workspaceId: readString(s.workspace_id),
              userId: readString(s.user_id),
              reason: String(s.reason_code),
              message: readString(s.reason_message),
              path: readString(s.reason_path),
              keyword: readString(s.reason_keyword),
              event: text.length > MAX_EVENT_CHARS ? text.slice(0, MAX_EVENT_CHARS) : text,
              eventCut: text.length > MAX_EVENT_CHARS,
              file: `${String(s.file_name)}#${readNumber(s.file_row) ?? 0}`,
            };
          }),
        };
      },
    };
  },
};
