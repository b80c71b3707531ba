import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DurableLogStream } from '#adapters/local/durable-log-stream.ts';
import { SegmentLog } from '#adapters/local/segment-log.ts';
import type { StreamRecord } from '#core/collector/ports.ts';
import { buildStreamRecords } from '#core/collector/stream-records.ts';
import type { IntakeFormat } from '#core/contract/envelope.ts';
import { MAX_EVENT_BYTES } from '#core/contract/limits.ts';
import type { AcceptedEvents } from '#core/quality/warehouse-accepted-counts.ts';
import { WarehouseQueryError, WarehouseUnavailableError } from '#core/warehouse/errors.ts';
import type { Warehouse } from '#core/warehouse/ports.ts';
import { duckdbSql } from '#test/support/sql-library.ts';
import {
  type CollectorCountsStore,
  WarehouseCollectorCounts,
} from '../../lambdas/local/collector-counts-store.ts';
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
  let store: WarehouseCollectorCounts;
  let counted: CountingStream;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tally-counting-'));
    log = await SegmentLog.open(dir);
    warehouse = await freshWarehouse();
    store = new WarehouseCollectorCounts(warehouse, duckdbSql);
    await store.ensure();
    counted = new CountingStream(new DurableLogStream(log), store);
    await counted.recount(log);
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

  it('counts nothing of a put the log refused', async () => {
    const closed = await SegmentLog.open(join(dir, 'closed'));
    await closed.close();
    const onClosed = new CountingStream(new DurableLogStream(closed), store);

    await expect(
      onClosed.putRecords(request('web', '2026-03-02T09:00:10.000Z', 'native', [used('a')])),
    ).rejects.toThrow('closed');
    await onClosed.stop();

    expect(await warehouse.query(COUNTS)).toEqual([]);
  });

  it('keeps counts the warehouse could not take (it is being reopened) and writes them with a later flush', async () => {
    const errors: unknown[] = [];
    let down = true;
    const reopening: CollectorCountsStore = {
      countedThrough: () => store.countedThrough(),
      probe: (count) => store.probe(count),
      write: async (batches) => {
        if (down) throw new WarehouseUnavailableError('FATAL Error: checkpoint failed', new Date());
        await store.write(batches);
      },
    };
    const stream = new CountingStream(new DurableLogStream(log), reopening, {
      onError: (e) => errors.push(e),
    });
    await stream.recount(log);

    await stream.putRecords(request('web', '2026-03-02T09:00:10.000Z', 'native', [used('a')]));
    await stream.flush();
    down = false;
    await stream.putRecords(request('web', '2026-03-02T09:00:20.000Z', 'native', [used('b')]));
    await stream.stop();

    expect(errors).toEqual([expect.any(WarehouseUnavailableError)]);
    expect(await warehouse.query(COUNTS)).toEqual([
      { source_id: 'web', event_name: 'feature_used', minute: '2026-03-02 09:00:00', accepted: 2 },
    ]);
  });

  it('recounts at start, from the log, what was acknowledged but never written (a kill)', async () => {
    await counted.putRecords(request('web', '2026-03-02T09:00:10.000Z', 'native', [used('a')]));
    await counted.flush();
    await counted.putRecords(request('web', '2026-03-02T09:01:10.000Z', 'native', [used('b'), used('c')]));
    // killed here: the second put's counts were never written

    const restarted = new CountingStream(new DurableLogStream(log), store);
    await restarted.recount(log);
    await restarted.flush();

    expect(await warehouse.query(COUNTS)).toEqual([
      { source_id: 'web', event_name: 'feature_used', minute: '2026-03-02 09:00:00', accepted: 1 },
      { source_id: 'web', event_name: 'feature_used', minute: '2026-03-02 09:01:00', accepted: 2 },
    ]);
    expect(restarted.countedThrough).toBe(log.durableEnd);
  });

  it('recounts at start what a stop could not write while the warehouse was down', async () => {
    const down: CollectorCountsStore = {
      countedThrough: () => store.countedThrough(),
      probe: (count) => store.probe(count),
      write: async () => {
        throw new WarehouseUnavailableError('FATAL Error: checkpoint failed', new Date());
      },
    };
    const stopping = new CountingStream(new DurableLogStream(log), down);
    await stopping.recount(log);
    await stopping.putRecords(request('web', '2026-03-02T09:00:10.000Z', 'native', [used('a'), used('b')]));
    await stopping.stop();
    expect(stopping.countedThrough).toBe(0);

    const restarted = new CountingStream(new DurableLogStream(log), store);
    await restarted.recount(log);
    await restarted.stop();

    expect(await warehouse.query(COUNTS)).toEqual([
      { source_id: 'web', event_name: 'feature_used', minute: '2026-03-02 09:00:00', accepted: 2 },
    ]);
  });

  it('does not add counts twice when a write that reported failure had committed', async () => {
    let ambiguous = true;
    const committedThenFailed: CollectorCountsStore = {
      countedThrough: () => store.countedThrough(),
      probe: (count) => store.probe(count),
      write: async (batches) => {
        await store.write(batches);
        if (ambiguous)
          throw new WarehouseUnavailableError('FATAL Error: invalidated after commit', new Date());
      },
    };
    const stream = new CountingStream(new DurableLogStream(log), committedThenFailed);
    await stream.recount(log);

    await stream.putRecords(request('web', '2026-03-02T09:00:10.000Z', 'native', [used('a')]));
    await stream.flush();
    ambiguous = false;
    await stream.putRecords(request('web', '2026-03-02T09:00:20.000Z', 'native', [used('b')]));
    await stream.stop();

    expect(await warehouse.query(COUNTS)).toEqual([
      { source_id: 'web', event_name: 'feature_used', minute: '2026-03-02 09:00:00', accepted: 2 },
    ]);
  });

  it('drops a count whose value the warehouse refuses, writes the others, and keeps writing later minutes', async () => {
    const refusesPoison: CollectorCountsStore = {
      countedThrough: () => store.countedThrough(),
      probe: async (count) => {
        if (count.eventName === 'poison') throw new WarehouseQueryError('Conversion Error: poison', 'MERGE');
        await store.probe(count);
      },
      write: async (batches) => {
        if (batches.some((b) => b.counts.some((c) => c.eventName === 'poison'))) {
          throw new WarehouseQueryError('Conversion Error: poison', 'MERGE');
        }
        await store.write(batches);
      },
    };
    const dropped: AcceptedEvents[] = [];
    const stream = new CountingStream(new DurableLogStream(log), refusesPoison, {
      onDropped: (count) => dropped.push(count),
    });
    await stream.recount(log);

    await stream.putRecords(
      request('web', '2026-03-02T09:00:10.000Z', 'native', [used('a'), { event: 'poison', user_id: 'u1' }]),
    );
    await stream.flush();
    await stream.putRecords(request('web', '2026-03-02T09:01:10.000Z', 'native', [used('b')]));
    await stream.stop();

    expect(dropped).toEqual([
      { sourceId: 'web', eventName: 'poison', receivedAt: new Date('2026-03-02T09:00:00.000Z'), count: 1 },
    ]);
    expect(await warehouse.query(COUNTS)).toEqual([
      { source_id: 'web', event_name: 'feature_used', minute: '2026-03-02 09:00:00', accepted: 1 },
      { source_id: 'web', event_name: 'feature_used', minute: '2026-03-02 09:01:00', accepted: 1 },
    ]);
  });

  it('keeps writing every later minute after an event name with a lone surrogate', async () => {
    const dropped: AcceptedEvents[] = [];
    const stream = new CountingStream(new DurableLogStream(log), store, {
      onDropped: (count) => dropped.push(count),
    });
    await stream.recount(log);

    await stream.putRecords(
      request('web', '2026-03-02T09:00:10.000Z', 'native', [
        { event_name: 'clicked\ud800', user_id: 'u1' },
        used('a'),
      ]),
    );
    await stream.flush();
    await stream.putRecords(request('web', '2026-03-02T09:01:10.000Z', 'native', [used('b')]));
    await stream.stop();

    const rows = await warehouse.query<{ event_name: string; minute: string; accepted: number }>(COUNTS);
    expect(rows.filter((r) => r.event_name === 'feature_used')).toEqual([
      { source_id: 'web', event_name: 'feature_used', minute: '2026-03-02 09:00:00', accepted: 1 },
      { source_id: 'web', event_name: 'feature_used', minute: '2026-03-02 09:01:00', accepted: 1 },
    ]);
    // written (once the writer escapes it) or dropped and reported: never retried forever
    expect(rows.length - 2 + dropped.length).toBe(1);
  });
});
