import { rawFreshnessCheck } from '#core/quality/checks/freshness-raw.ts';
import type { Warehouse } from '#core/warehouse/ports.ts';
import { acceptedCountsOf, buildCleanWarehouse, NOW, withFault } from '../support/clean-warehouse.ts';
import { bucket, failures, notPassing, runCheck } from '../support/run-check.ts';

const minutesAfter = (m: number) => new Date(NOW.getTime() + m * 60_000);

describe('freshness-raw', () => {
  let warehouse: Warehouse;
  /** The newest load time of the clean warehouse, and its age in seconds at NOW. */
  let newest: string;
  const ageAt = (now: Date) => Math.round((now.getTime() - Date.parse(newest)) / 1000);
  beforeAll(async () => {
    warehouse = await buildCleanWarehouse({ history: 'days' });
    const [row] = await warehouse.query<{ newest: string }>(
      'SELECT MAX(loaded_at) AS newest FROM raw.events',
    );
    newest = row!.newest;
  });
  afterAll(() => warehouse.close());

  it('passes when the newest load is less than two minutes old', async () => {
    const run = await runCheck(warehouse, rawFreshnessCheck(), {
      acceptedCounts: acceptedCountsOf(warehouse),
    });
    expect(notPassing(run)).toEqual([]);
    expect(bucket(run, 'raw')).toMatchObject({ observed: ageAt(NOW), expectedMax: 120 });
    expect(ageAt(NOW)).toBeLessThan(120);
  });

  it('fails when the collector accepted events more than two minutes ago that raw does not have', async () => {
    const run = await withFault(warehouse, async (tx) => {
      const counts = acceptedCountsOf(tx);
      await counts.add([
        { sourceId: 'web-app', eventName: 'feature_used', receivedAt: minutesAfter(1), count: 40 },
        { sourceId: 'ios-app', eventName: 'feature_used', receivedAt: minutesAfter(3), count: 12 },
      ]);
      return runCheck(tx, rawFreshnessCheck(), { now: minutesAfter(10), acceptedCounts: counts });
    });
    expect(failures(run)).toEqual([['raw', [newest]]]);
    expect(bucket(run, 'raw')?.observed).toBe(ageAt(minutesAfter(10)));
    expect(bucket(run, 'raw')?.detail).toContain('52 event(s) the collector accepted');
  });

  it('passes a quiet pipeline as idle when the collector accepted nothing since the newest load', async () => {
    const run = await runCheck(warehouse, rawFreshnessCheck(), {
      now: minutesAfter(30),
      acceptedCounts: acceptedCountsOf(warehouse),
    });
    expect(bucket(run, 'raw')).toMatchObject({ status: 'pass', observed: ageAt(minutesAfter(30)) });
    expect(bucket(run, 'raw')?.detail).toContain('idle');
  });

  it('does not count events accepted in the last two minutes as missing', async () => {
    const run = await withFault(warehouse, async (tx) => {
      const counts = acceptedCountsOf(tx);
      await counts.add([
        { sourceId: 'web-app', eventName: 'feature_used', receivedAt: minutesAfter(9), count: 40 },
      ]);
      return runCheck(tx, rawFreshnessCheck(), { now: minutesAfter(10), acceptedCounts: counts });
    });
    expect(failures(run)).toEqual([]);
  });

  it('fails a stale raw layer when there are no collector counts to tell idle from stuck', async () => {
    const run = await runCheck(warehouse, rawFreshnessCheck(), { now: minutesAfter(30) });
    expect(failures(run)).toEqual([['raw', [newest]]]);
  });
});
