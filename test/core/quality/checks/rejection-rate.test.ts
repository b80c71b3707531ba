import { rejectionRateCheck } from '#core/quality/checks/rejection-rate.ts';
import type { Warehouse } from '#core/warehouse/ports.ts';
import { buildCleanWarehouse, loadRejected, NOW, withFault } from '../support/clean-warehouse.ts';
import { bucket, failures, notPassing, runCheck } from '../support/run-check.ts';

const minutesAgo = (m: number) => new Date(NOW.getTime() - m * 60_000);
const rejected = (n: number, code: string) =>
  Array.from({ length: n }, (_, i) => ({
    reason: { code, message: 'no schema feature_usd' },
    source_id: 'android-app',
    received_at: minutesAgo(15).toISOString(),
    event_name: 'feature_usd',
    event_id: `typo-${String(i).padStart(2, '0')}`,
  }));

describe('rejection-rate', () => {
  let warehouse: Warehouse;
  beforeAll(async () => {
    warehouse = await buildCleanWarehouse({ history: 'days' });
  });
  afterAll(() => warehouse.close());

  it('passes every source and reason on clean data, the usual trickle of rejections included', async () => {
    const run = await runCheck(warehouse, rejectionRateCheck());
    expect(notPassing(run)).toEqual([]);
    expect(run.results.some((r) => r.bucket.endsWith('reason=SCHEMA_VIOLATION'))).toBe(true);
  });

  it('fails the reason and the total of the source whose events are rejected, with their event ids', async () => {
    const run = await withFault(warehouse, async (tx) => {
      await loadRejected(
        tx,
        'rejected/dt=2024-03-12/hr=14/android.ndjson.gz',
        minutesAgo(14),
        rejected(24, 'UNKNOWN_SCHEMA'),
      );
      return runCheck(tx, rejectionRateCheck());
    });
    const ids = Array.from({ length: 20 }, (_, i) => `typo-${String(i).padStart(2, '0')}`);
    expect(failures(run)).toEqual([
      ['source=android-app|reason=UNKNOWN_SCHEMA', ids],
      ['source=android-app|reason=ALL', ids],
    ]);
    expect(bucket(run, 'source=android-app|reason=UNKNOWN_SCHEMA')?.severity).toBe('error');
  });

  it('counts rejected records without a source under (unknown)', async () => {
    const run = await withFault(warehouse, async (tx) => {
      const orphans = rejected(12, 'MALFORMED_RECORD').map((r) => ({
        ...r,
        source_id: null,
        event_id: null,
      }));
      await loadRejected(tx, 'rejected/dt=2024-03-12/hr=14/foreign.ndjson.gz', minutesAgo(14), orphans);
      return runCheck(tx, rejectionRateCheck());
    });
    expect(failures(run).map(([b, sample]) => [b, sample.length, sample[0]])).toEqual([
      ['source=(unknown)|reason=MALFORMED_RECORD', 12, 'rejected/dt=2024-03-12/hr=14/foreign.ndjson.gz#1'],
      ['source=(unknown)|reason=ALL', 12, 'rejected/dt=2024-03-12/hr=14/foreign.ndjson.gz#1'],
    ]);
  });
});
