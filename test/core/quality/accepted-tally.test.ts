import { readFileSync } from 'node:fs';
import type { StreamRecord } from '#core/collector/ports.ts';
import { buildStreamRecords } from '#core/collector/stream-records.ts';
import type { IntakeFormat } from '#core/contract/envelope.ts';
import { MAX_EVENT_BYTES } from '#core/contract/limits.ts';
import { AcceptedTally } from '#core/quality/accepted-tally.ts';

const EVENTS = new URL('../../fixtures/events/', import.meta.url);
const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(name, EVENTS), 'utf8')) as Record<string, unknown>;

const request = (
  sourceId: string,
  receivedAt: string,
  intake: IntakeFormat,
  events: readonly unknown[],
  requestId = `req-${sourceId}-${receivedAt}`,
): readonly StreamRecord[] =>
  buildStreamRecords({ intake, events, wrapped: true }, { sourceId, receivedAt, requestId }, MAX_EVENT_BYTES)
    .records;

const countAll = (tally: AcceptedTally, records: readonly StreamRecord[]) =>
  tally.countAcknowledged(records, []);

const sorted = (tally: AcceptedTally) =>
  tally
    .take()
    .map((c) => [c.sourceId, c.eventName, c.receivedAt.toISOString(), c.count])
    .sort((a, b) => String(a).localeCompare(String(b)));

const used = fixture('native-feature-used.json');
const track = fixture('segment-track.json');
const page = fixture('segment-page.json');

describe('AcceptedTally', () => {
  it('counts per source, the event name the validator will assign, and the minute received', () => {
    const tally = new AcceptedTally();
    countAll(tally, request('web', '2026-03-02T09:00:10.000Z', 'native', [used, { ...used, event_id: 'b' }]));
    countAll(tally, request('web', '2026-03-02T09:00:59.999Z', 'segment', [track, page, { type: 'track' }]));
    countAll(tally, request('ios', '2026-03-02T09:01:00.000Z', 'native', [{ ...used, event: 'Odd Name' }]));

    expect(sorted(tally)).toEqual([
      ['ios', 'Odd Name', '2026-03-02T09:01:00.000Z', 1],
      ['web', '', '2026-03-02T09:00:00.000Z', 1],
      ['web', 'feature_used', '2026-03-02T09:00:00.000Z', 3],
      ['web', 'page_viewed', '2026-03-02T09:00:00.000Z', 1],
    ]);
  });

  it('counts only the records the stream acknowledged', () => {
    const tally = new AcceptedTally();
    const records = request('web', '2026-03-02T09:00:10.000Z', 'native', [
      used,
      { ...used, event_id: 'b' },
      { ...used, event_id: 'c' },
    ]);

    tally.countAcknowledged(records, [0, 2]);

    expect(sorted(tally)).toEqual([['web', 'feature_used', '2026-03-02T09:00:00.000Z', 1]]);
  });

  it('counts copies of one event in one request once, across puts too (a retried record)', () => {
    const tally = new AcceptedTally();
    const records = request('web', '2026-03-02T09:00:10.000Z', 'native', [
      used,
      used,
      { ...used, event_id: 'b' },
    ]);

    tally.countAcknowledged(records, [1]);
    tally.countAcknowledged([records[1]!], []);

    expect(sorted(tally)).toEqual([['web', 'feature_used', '2026-03-02T09:00:00.000Z', 2]]);
  });

  it('counts copies from two requests received in the same millisecond once, a later retry again', () => {
    const tally = new AcceptedTally();
    countAll(tally, request('web', '2026-03-02T09:00:10.000Z', 'native', [used], 'req-1'));
    countAll(tally, request('web', '2026-03-02T09:00:10.000Z', 'native', [used], 'req-2'));
    countAll(tally, request('web', '2026-03-02T09:00:10.001Z', 'native', [used], 'req-3'));

    expect(sorted(tally)).toEqual([['web', 'feature_used', '2026-03-02T09:00:00.000Z', 2]]);
  });

  it('forgets counts and copies on take: what is counted after it counts again', () => {
    const tally = new AcceptedTally();
    const records = request('web', '2026-03-02T09:00:10.000Z', 'native', [used]);
    countAll(tally, records);
    tally.take();

    countAll(tally, records);

    expect(sorted(tally)).toEqual([['web', 'feature_used', '2026-03-02T09:00:00.000Z', 1]]);
    expect(tally.take()).toEqual([]);
  });

  it('does not count a record without the collector meta line or with an unreadable receipt time', () => {
    const tally = new AcceptedTally();
    const [record] = request('web', 'not a time', 'native', [used]);

    tally.count(Buffer.from(JSON.stringify(used), 'utf8'));
    tally.count(record!.data);

    expect(tally.take()).toEqual([]);
  });

  it('names events over the validator event size limit as it does: none', () => {
    const tally = new AcceptedTally({ maxEventBytes: 256 });

    countAll(tally, request('web', '2026-03-02T09:00:10.000Z', 'native', [used]));

    expect(sorted(tally)).toEqual([['web', '', '2026-03-02T09:00:00.000Z', 1]]);
  });

  it('adds counts put back (a write that failed) to what it counts next', () => {
    const tally = new AcceptedTally();
    countAll(tally, request('web', '2026-03-02T09:00:10.000Z', 'native', [used]));
    const unwritten = tally.take();

    tally.putBack(unwritten);
    countAll(tally, request('web', '2026-03-02T09:00:20.000Z', 'native', [{ ...used, event_id: 'b' }]));

    expect(sorted(tally)).toEqual([['web', 'feature_used', '2026-03-02T09:00:00.000Z', 2]]);
  });
});
