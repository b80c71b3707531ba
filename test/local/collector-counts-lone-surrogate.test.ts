import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DurableLogStream } from '#adapters/local/durable-log-stream.ts';
import { SegmentLog } from '#adapters/local/segment-log.ts';
import type { StreamRecord } from '#core/collector/ports.ts';
import { buildStreamRecords } from '#core/collector/stream-records.ts';
import { MAX_EVENT_BYTES } from '#core/contract/limits.ts';
import type { Warehouse } from '#core/warehouse/ports.ts';
import { duckdbSql } from '#test/support/sql-library.ts';
import { WarehouseCollectorCounts } from '../../lambdas/local/collector-counts-store.ts';
import { CountingStream } from '../../lambdas/local/counting-stream.ts';
import { freshWarehouse } from '../support/warehouse-db.ts';

/**
 * The local ops.collector_counts writer sends its rows to the warehouse as JSON text. A client's event
 * name holding a lone UTF-16 surrogate (`"\ud800"`) used to make DuckDB refuse that text, and since the
 * counts it could not write are kept for the next flush, no minute was ever written again.
 */

const request = (receivedAt: string, events: readonly unknown[]): StreamRecord[] => [
  ...buildStreamRecords(
    { intake: 'native', events, wrapped: true },
    { sourceId: 'web', receivedAt, requestId: `req-${receivedAt}` },
    MAX_EVENT_BYTES,
  ).records,
];

const COUNTS = `SELECT event_name, CAST(received_minute AS VARCHAR) AS minute, accepted
  FROM ops.collector_counts ORDER BY ALL`;

describe('collector counts and a lone surrogate in an event name', () => {
  let dir: string;
  let log: SegmentLog;
  let warehouse: Warehouse;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tally-counts-surrogate-'));
    log = await SegmentLog.open(dir);
    warehouse = await freshWarehouse();
  });
  afterEach(async () => {
    await log.close();
    await warehouse.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('writes that minute (the name with U+FFFD for the surrogate) and every minute after it', async () => {
    const errors: unknown[] = [];
    const store = new WarehouseCollectorCounts(warehouse, duckdbSql);
    await store.ensure();
    const counted = new CountingStream(new DurableLogStream(log), store, {
      onError: (error) => errors.push(error),
    });
    await counted.putRecords(
      request('2026-03-02T09:00:10.000Z', [
        { event: 'clicked\ud800', user_id: 'u1' },
        { event: 'feature_used', user_id: 'u1', feature_id: 'editor' },
      ]),
    );
    await counted.flush();
    await counted.putRecords(
      request('2026-03-02T09:01:10.000Z', [{ event: 'feature_used', user_id: 'u2', feature_id: 'editor' }]),
    );
    await counted.stop();

    expect(errors).toEqual([]);
    expect(await warehouse.query(COUNTS)).toEqual([
      { event_name: 'clicked\uFFFD', minute: '2026-03-02 09:00:00', accepted: 1 },
      { event_name: 'feature_used', minute: '2026-03-02 09:00:00', accepted: 1 },
      { event_name: 'feature_used', minute: '2026-03-02 09:01:00', accepted: 1 },
    ]);
  });
});
