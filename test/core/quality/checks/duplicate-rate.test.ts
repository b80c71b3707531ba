import { duplicateRateCheck } from '#core/quality/checks/duplicate-rate.ts';
import type { Warehouse } from '#core/warehouse/ports.ts';
import {
  buildCleanWarehouse,
  lineOf,
  loadLines,
  NOW,
  SERIES,
  withFault,
} from '../support/clean-warehouse.ts';
import { bucket, failures, notPassing, runCheck } from '../support/run-check.ts';

const webPages = SERIES[3]!;
const minutesAgo = (m: number) => new Date(NOW.getTime() - m * 60_000);

describe('duplicate-rate', () => {
  let warehouse: Warehouse;
  beforeAll(async () => {
    warehouse = await buildCleanWarehouse({ history: 'days' });
  });
  afterAll(() => warehouse.close());

  it('passes every source on clean data, client retries included', async () => {
    const run = await runCheck(warehouse, duplicateRateCheck());
    expect(notPassing(run)).toEqual([]);
    expect(bucket(run, 'source=web-app')?.observed).toBeGreaterThan(0);
  });

  it('fails the source whose file was loaded three times, naming the most copied keys', async () => {
    const lines = Array.from({ length: 40 }, (_, i) =>
      lineOf(`twice-${String(i).padStart(2, '0')}`, webPages, minutesAgo(20)),
    );
    const run = await withFault(warehouse, async (tx) => {
      for (const attempt of [1, 2, 3]) {
        await loadLines(
          tx,
          `events/dt=2024-03-12/hr=14/replayed-${attempt}.ndjson.gz`,
          minutesAgo(19 - attempt),
          lines,
        );
      }
      return runCheck(tx, duplicateRateCheck());
    });
    const expected = Array.from({ length: 20 }, (_, i) => `dk-twice-${String(i).padStart(2, '0')}`);
    expect(failures(run)).toEqual([['source=web-app', expected]]);
    expect(bucket(run, 'source=web-app')?.detail).toMatch(/^8\d of \d+ loaded rows repeat an event$/);
  });
});
