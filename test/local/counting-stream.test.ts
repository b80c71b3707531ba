import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DurableLogStream } from '#adapters/local/durable-log-stream.ts';
import { SegmentLog } from '#adapters/local/segment-log.ts';
import type { EventStream, StreamRecord } from '#core/collector/ports.ts';
import { buildStreamRecords } from '#core/collector/stream-records.ts';
import type { IntakeFormat } from '#core/contract/envelope.ts';
import { MAX_EVENT_BYTES } from '#core/contract/limits.ts';
import type { AcceptedEvents } from '#core/quality/warehouse-accepted-counts.ts';
import { WarehouseAcceptedCounts } from '#core/quality/warehouse-accepted-counts.ts';
import type { Warehouse } from '#core/warehouse/ports.ts';
import { CountingStream } from '../../lambdas/local/counting-stream.ts';
import { freshWarehouse } from '../support/warehouse-db.ts';

const request = (
  sourceId: string,
  receivedAt: string,
  intake: IntakeFormat,
  events: readonly unknown[],
): StreamRecord[] => [
  ...buildStreamRecords(
    { intake, events, wrapped: true },
    { sourceId, receivedAt, requestId: `req-${receivedAt}` },
    MAX_EVENT_BYTES,
  ).records,
];

const used = (id: string) => ({ event: 'feature_used', event_id: id, user_id: 'u1', feature_id: 'editor' });
const COUNTS = `SELECT source_id, event_name, CAST(received_minute AS VARCHAR) AS minute, accepted
  FROM ops.collector_counts ORDER BY ALL`;

describe('CountingStream', () => {
  let dir: string;
  let log: SegmentLog;
  let warehouse: Warehouse;
  let counted: CountingStream;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tally-counting-'));
    log = await SegmentLog.open(dir);
    warehouse = await freshWarehouse();
    counted = new CountingStream(new DurableLogStream(log), new WarehouseAcceptedCounts(warehouse));
  });
  afterEach(async () => {
    await counted.stop();
    await log.close();
    await warehouse.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('counts acknowledged events per source, the event name the validator will give, and minute received', async () => {
    await counted.putRecords(
      request('web', '2026-03-02T09:00:10.000Z', 'native', [
        used('a'),
        used('b'),
        { event: 'x', user_id: 'u' },
      ]),
    );
    await counted.putRecords(
      request('web', '2026-03-02T09:00:50.000Z', 'segment', [
        { type: 'track', event: 'Feature Used', userId: 'u1' },
        { type: 'page', userId: 'u1' },
        { type: 'track', event: 'Feature Used' },
      ]),
    );
    await counted.putRecords(request('ios', '2026-03-02T09:01:00.000Z', 'native', [used('c')]));

    expect(await warehouse.query(COUNTS)).toEqual([]);
    await counted.flush();

    expect(await warehouse.query(COUNTS)).toEqual([
      { source_id: 'ios', event_name: 'feature_used', minute: '2026-03-02 09:01:00', accepted: 1 },
      { source_id: 'web', event_name: '', minute: '2026-03-02 09:00:00', accepted: 1 },
      { source_id: 'web', event_name: 'feature_used', minute: '2026-03-02 09:00:00', accepted: 3 },
      { source_id: 'web', event_name: 'page_viewed', minute: '2026-03-02 09:00:00', accepted: 1 },
      { source_id: 'web', event_name: 'x', minute: '2026-03-02 09:00:00', accepted: 1 },
    ]);
  });

  it('adds to the counts of earlier flushes', async () => {
    await counted.putRecords(request('web', '2026-03-02T09:00:10.000Z', 'native', [used('a')]));
    await counted.flush();
    await counted.putRecords(request('web', '2026-03-02T09:00:20.000Z', 'native', [used('b'), used('c')]));
    await counted.stop();

    expect(await warehouse.query(COUNTS)).toEqual([
      { source_id: 'web', event_name: 'feature_used', minute: '2026-03-02 09:00:00', accepted: 3 },
    ]);
  });

  it('counts identical records of one request once, as raw does', async () => {
    await counted.putRecords(
      request('web', '2026-03-02T09:00:10.000Z', 'native', [used('a'), used('a'), used('b')]),
    );
    await counted.flush();

    expect(await warehouse.query(COUNTS)).toEqual([
      { source_id: 'web', event_name: 'feature_used', minute: '2026-03-02 09:00:00', accepted: 2 },
    ]);
  });

  it('counts copies of an event from two requests received in the same millisecond once, a later retry again', async () => {
    const copy = (requestId: string, receivedAt: string) =>
      buildStreamRecords(
        { intake: 'native', events: [used('a')], wrapped: false },
        { sourceId: 'web', receivedAt, requestId },
        MAX_EVENT_BYTES,
      ).records;
    await counted.putRecords(copy('req-1', '2026-03-02T09:00:10.000Z'));
    await counted.putRecords(copy('req-2', '2026-03-02T09:00:10.000Z'));
    await counted.putRecords(copy('req-3', '2026-03-02T09:00:10.001Z'));
    await counted.flush();

    expect(await warehouse.query(COUNTS)).toEqual([
      { source_id: 'web', event_name: 'feature_used', minute: '2026-03-02 09:00:00', accepted: 2 },
    ]);
  });

  it('counts neither a put the stream refused nor the records it reports as failed', async () => {
    const refusing: EventStream = {
      putRecords: async () => {
        throw new Error('disk full');
      },
    };
    const partial: EventStream = { putRecords: async () => ({ failed: [1] }) };
    const counts = new WarehouseAcceptedCounts(warehouse);
    const onRefusing = new CountingStream(refusing, counts);
    const onPartial = new CountingStream(partial, counts);

    await expect(
      onRefusing.putRecords(request('web', '2026-03-02T09:00:10.000Z', 'native', [used('a')])),
    ).rejects.toThrow('disk full');
    await onPartial.putRecords(request('web', '2026-03-02T09:00:10.000Z', 'native', [used('a'), used('b')]));
    await onRefusing.stop();
    await onPartial.stop();

    expect(await warehouse.query(COUNTS)).toEqual([
      { source_id: 'web', event_name: 'feature_used', minute: '2026-03-02 09:00:00', accepted: 1 },
    ]);
  });

  it('keeps counts it could not write and writes them with the next flush', async () => {
    const errors: unknown[] = [];
    const written: AcceptedEvents[][] = [];
    let fail = true;
    const flaky = {
      add: async (accepted: readonly AcceptedEvents[]) => {
        if (fail) throw new Error('warehouse busy');
        written.push([...accepted]);
      },
    };
    const stream = new CountingStream(new DurableLogStream(log), flaky, { onError: (e) => errors.push(e) });

    await stream.putRecords(request('web', '2026-03-02T09:00:10.000Z', 'native', [used('a')]));
    await stream.flush();
    fail = false;
    await stream.putRecords(request('web', '2026-03-02T09:00:20.000Z', 'native', [used('b')]));
    await stream.stop();

    expect(errors).toEqual([new Error('warehouse busy')]);
    expect(written).toEqual([
      [
        {
          sourceId: 'web',
          eventName: 'feature_used',
          receivedAt: new Date('2026-03-02T09:00:00.000Z'),
          count: 2,
        },
      ],
    ]);
  });
});
