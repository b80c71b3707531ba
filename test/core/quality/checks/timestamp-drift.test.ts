import { timestampDriftCheck } from '#core/quality/checks/timestamp-drift.ts';
import type { Warehouse } from '#core/warehouse/ports.ts';
import {
  buildCleanWarehouse,
  lineOf,
  loadLines,
  NOW,
  SERIES,
  withFault,
} from '../support/clean-warehouse.ts';
import { failures, notPassing, runCheck } from '../support/run-check.ts';

const webPages = SERIES[3]!;
const minutesAgo = (m: number) => new Date(NOW.getTime() - m * 60_000);
const HOUR = 3_600_000;

/** Events received 10 minutes ago whose event time is `offsetMs` away from receipt (+ ahead, - behind). */
const drifted = (prefix: string, n: number, offsetMs: (i: number) => number) =>
  Array.from({ length: n }, (_, i) => {
    const received = minutesAgo(10);
    const at = new Date(received.getTime() + offsetMs(i)).toISOString();
    return lineOf(`${prefix}-${String(i).padStart(2, '0')}`, webPages, received, {
      event_ts: at,
      occurred_at: at,
    });
  });

describe('timestamp-drift', () => {
  let warehouse: Warehouse;
  beforeAll(async () => {
    warehouse = await buildCleanWarehouse({ history: 'days' });
  });
  afterAll(() => warehouse.close());

  it('passes both directions of every source on clean data', async () => {
    const run = await runCheck(warehouse, timestampDriftCheck());
    expect(notPassing(run)).toEqual([]);
    expect(run.results).toHaveLength(8);
  });

  it('fails events timed in the future, most drifted first', async () => {
    const run = await withFault(warehouse, async (tx) => {
      await loadLines(tx, 'events/dt=2024-03-12/hr=14/clock-ahead.ndjson.gz', minutesAgo(9), [
        ...drifted('ahead', 12, (i) => (i + 1) * HOUR),
        ...drifted('slightly-ahead', 5, () => 4 * 60_000),
      ]);
      return runCheck(tx, timestampDriftCheck());
    });
    const expected = Array.from({ length: 12 }, (_, i) => `dk-ahead-${String(11 - i).padStart(2, '0')}`);
    expect(failures(run)).toEqual([['source=web-app|direction=future', expected]]);
  });

  it('fails events timed more than 72 hours before their receipt', async () => {
    const run = await withFault(warehouse, async (tx) => {
      await loadLines(tx, 'events/dt=2024-03-12/hr=14/offline-queue.ndjson.gz', minutesAgo(9), [
        ...drifted('stale', 15, () => -96 * HOUR),
        ...drifted('late', 20, () => -70 * HOUR),
      ]);
      return runCheck(tx, timestampDriftCheck());
    });
    const expected = Array.from({ length: 15 }, (_, i) => `dk-stale-${String(i).padStart(2, '0')}`);
    expect(failures(run)).toEqual([['source=web-app|direction=past', expected]]);
  });
});
