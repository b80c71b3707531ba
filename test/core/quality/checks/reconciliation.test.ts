import { reconciliationCheck } from '#core/quality/checks/reconciliation.ts';
import type { Warehouse } from '#core/warehouse/ports.ts';
import {
  acceptedCountsOf,
  buildCleanWarehouse,
  lineOf,
  loadLines,
  loadRejected,
  NOW,
  SERIES,
  withFault,
} from '../support/clean-warehouse.ts';
import { bucket, failures, notPassing, runCheck } from '../support/run-check.ts';

const minutesAgo = (m: number) => new Date(NOW.getTime() - m * 60_000);
const iosFeatures = 'leg=collector_to_raw|source=ios-app|event=feature_used';

describe('reconciliation', () => {
  let warehouse: Warehouse;
  beforeAll(async () => {
    warehouse = await buildCleanWarehouse({ history: 'days' });
  });
  afterAll(() => warehouse.close());
  const check = (tx: Warehouse, now = NOW) =>
    runCheck(tx, reconciliationCheck(), { now, acceptedCounts: acceptedCountsOf(tx) });

  it('passes both legs for every source and event on clean data', async () => {
    const run = await check(warehouse);
    expect(notPassing(run)).toEqual([]);
    expect(run.results.filter((r) => r.bucket.startsWith('leg=collector_to_raw'))).toHaveLength(6);
    expect(run.results.filter((r) => r.bucket.startsWith('leg=raw_to_curated'))).toHaveLength(6);
  });

  it('fails the collector leg when accepted events never reached raw, naming the minutes', async () => {
    const run = await withFault(warehouse, async (tx) => {
      await tx.execute(`DELETE FROM raw.events WHERE rowid IN (
        SELECT rowid FROM raw.events
        WHERE source_id = 'ios-app' AND event_name = 'feature_used' AND received_at >= TIMESTAMP '2024-03-12 12:00:00'
        ORDER BY received_at LIMIT 7)`);
      return check(tx);
    });
    const lost = bucket(run, iosFeatures);
    expect(failures(run).map(([b]) => b)).toEqual([iosFeatures]);
    expect(lost).toMatchObject({ observed: 7, expectedMin: 0, expectedMax: 0 });
    expect(lost?.sample[0]).toMatch(/^2024-03-12T12:0\d \d+\/\d+$/);
    const missing = lost!.sample
      .map((s) => s.split(' ')[1]!.split('/').map(Number))
      .reduce((n, [a, l]) => n + a! - l!, 0);
    expect(missing).toBe(7);
  });

  it('counts lines a replay wrote again once: the same event received at the same time', async () => {
    const lines = Array.from({ length: 5 }, (_, i) => lineOf(`twice-${i}`, SERIES[0]!, minutesAgo(120)));
    const rejected = { source_id: 'web-app', event_name: 'feature_used', request_id: 'req-replayed' };
    const rejectedAt = minutesAgo(120).toISOString();
    const run = await withFault(warehouse, async (tx) => {
      await acceptedCountsOf(tx).add([
        { sourceId: 'web-app', eventName: 'feature_used', receivedAt: minutesAgo(120), count: 6 },
      ]);
      await loadLines(tx, 'events/dt=2024-03-12/hr=13/a.ndjson.gz', minutesAgo(119), lines);
      await loadLines(tx, 'events/dt=2024-03-12/hr=13/a-replayed.ndjson.gz', minutesAgo(118), lines);
      for (const file of ['rejected/r.ndjson.gz', 'rejected/r-replayed.ndjson.gz']) {
        await loadRejected(tx, file, minutesAgo(117), [{ ...rejected, received_at: rejectedAt }]);
      }
      return check(tx);
    });
    expect(bucket(run, 'leg=collector_to_raw|source=web-app|event=feature_used')).toMatchObject({
      status: 'pass',
      observed: 0,
    });
  });

  it('counts a line the loader could not load as landed (unloadable), not as a gap', async () => {
    const lines = [
      lineOf('around-1', SERIES[0]!, minutesAgo(120)),
      lineOf('poison', SERIES[0]!, minutesAgo(120), { event_ts: '+010000-01-01T00:00:00.000Z' }),
      lineOf('around-2', SERIES[0]!, minutesAgo(120)),
    ];
    const run = await withFault(warehouse, async (tx) => {
      await acceptedCountsOf(tx).add([
        { sourceId: 'web-app', eventName: 'feature_used', receivedAt: minutesAgo(120), count: 3 },
      ]);
      await loadLines(tx, 'events/dt=2024-03-12/hr=13/poison.ndjson.gz', minutesAgo(119), lines);
      return check(tx);
    });
    expect(bucket(run, 'leg=collector_to_raw|source=web-app|event=feature_used')).toMatchObject({
      status: 'pass',
      observed: 0,
      detail: expect.stringContaining('(1 as unloadable lines: see unloadable-lines)'),
    });
  });

  it('counts a client retry received in the same millisecond again: it was sent at another time', async () => {
    const original = lineOf('retried', SERIES[0]!, minutesAgo(120));
    const retry = { ...original, sent_at: minutesAgo(121).toISOString() };
    const run = await withFault(warehouse, async (tx) => {
      await acceptedCountsOf(tx).add([
        { sourceId: 'web-app', eventName: 'feature_used', receivedAt: minutesAgo(120), count: 2 },
      ]);
      await loadLines(tx, 'events/dt=2024-03-12/hr=13/retry.ndjson.gz', minutesAgo(119), [original, retry]);
      return check(tx);
    });
    expect(bucket(run, 'leg=collector_to_raw|source=web-app|event=feature_used')).toMatchObject({
      status: 'pass',
      observed: 0,
    });
  });

  it('fails the collector leg with a negative gap when raw holds events the collector never accepted', async () => {
    const lines = Array.from({ length: 5 }, (_, i) => lineOf(`ghost-${i}`, SERIES[0]!, minutesAgo(120)));
    const run = await withFault(warehouse, async (tx) => {
      await loadLines(tx, 'events/dt=2024-03-12/hr=13/ghost.ndjson.gz', minutesAgo(119), lines);
      return check(tx);
    });
    expect(failures(run)).toEqual([
      [
        'leg=collector_to_raw|source=web-app|event=feature_used',
        [expect.stringMatching(/^2024-03-12T13:05 \d+\/\d+$/)],
      ],
      [
        'leg=raw_to_curated|source=web-app|event=feature_used',
        ['dk-ghost-0', 'dk-ghost-1', 'dk-ghost-2', 'dk-ghost-3', 'dk-ghost-4'],
      ],
    ]);
    expect(bucket(run, 'leg=collector_to_raw|source=web-app|event=feature_used')?.observed).toBe(-5);
  });

  it('fails the curated leg with the dedup keys missing from the fact', async () => {
    const run = await withFault(warehouse, async (tx) => {
      await tx.execute(`DELETE FROM curated.fct_feature_events WHERE dedup_key IN (
        'dk-web-app-page_viewed-2024031212-10', 'dk-web-app-page_viewed-2024031212-11',
        'dk-web-app-page_viewed-2024031212-12', 'dk-web-app-page_viewed-2024031212-13')`);
      return check(tx);
    });
    expect(failures(run)).toEqual([
      [
        'leg=raw_to_curated|source=web-app|event=page_viewed',
        [
          'dk-web-app-page_viewed-2024031212-10',
          'dk-web-app-page_viewed-2024031212-11',
          'dk-web-app-page_viewed-2024031212-12',
          'dk-web-app-page_viewed-2024031212-13',
        ],
      ],
    ]);
  });

  it('waits out the freshness window before calling a gap', async () => {
    const run = await withFault(warehouse, async (tx) => {
      await tx.execute("DELETE FROM raw.events WHERE received_at >= TIMESTAMP '2024-03-12 15:01:00'");
      return check(tx);
    });
    expect(failures(run)).toEqual([]);
  });

  it('counts a rejected event replayed into raw after a fix once', async () => {
    const run = await withFault(warehouse, async (tx) => {
      const [rejected] = await tx.query<{ event_id: string; received_at: string }>(
        "SELECT event_id, received_at FROM raw.rejected_events WHERE source_id = 'ios-app' AND event_name = 'feature_used' ORDER BY received_at DESC LIMIT 1",
      );
      const replayed = lineOf('replayed', SERIES[1]!, new Date(rejected!.received_at), {
        event_id: rejected!.event_id,
      });
      await loadLines(tx, 'events/replay/ios.ndjson.gz', minutesAgo(1), [replayed]);
      return check(tx);
    });
    expect(bucket(run, iosFeatures)).toMatchObject({ status: 'pass', observed: 0 });
  });

  it('skips the collector leg where the collector counts are not available', async () => {
    const run = await runCheck(warehouse, reconciliationCheck());
    expect(bucket(run, 'leg=collector_to_raw')).toMatchObject({ status: 'skipped' });
    expect(run.results.filter((r) => r.status === 'pass')).toHaveLength(6);
  });
});
