import { curatedFreshnessCheck } from '#core/quality/checks/freshness-curated.ts';
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

const minutesAfter = (m: number) => new Date(NOW.getTime() + m * 60_000);
const FILE = 'events/dt=2024-03-12/hr=15/after-the-run.ndjson.gz';

describe('freshness-curated', () => {
  let warehouse: Warehouse;
  beforeAll(async () => {
    warehouse = await buildCleanWarehouse({ history: 'days' });
  });
  afterAll(() => warehouse.close());

  it('passes every model when the transform has processed everything loaded', async () => {
    const run = await runCheck(warehouse, curatedFreshnessCheck());
    expect(notPassing(run)).toEqual([]);
    expect(bucket(run, 'model=fct_feature_events')).toMatchObject({ observed: 0, expectedMax: 900 });
  });

  it('fails every model when rows loaded more than 15 minutes ago are still waiting, naming their files', async () => {
    const run = await withFault(warehouse, async (tx) => {
      await loadLines(tx, FILE, minutesAfter(1), [lineOf('late-run', SERIES[0]!, minutesAfter(0.5))]);
      return runCheck(tx, curatedFreshnessCheck(), { now: minutesAfter(20) });
    });
    expect(failures(run)).toContainEqual(['model=fct_feature_events', [FILE]]);
    expect(failures(run)).toContainEqual(['model=feature_usage_daily', [FILE]]);
    expect(bucket(run, 'model=fct_feature_events')?.observed).toBe(19 * 60);
  });

  it('passes rows that have waited less than 15 minutes', async () => {
    const run = await withFault(warehouse, async (tx) => {
      await loadLines(tx, FILE, minutesAfter(1), [lineOf('late-run', SERIES[0]!, minutesAfter(0.5))]);
      return runCheck(tx, curatedFreshnessCheck(), { now: minutesAfter(12) });
    });
    expect(failures(run)).toEqual([]);
  });

  it('fails a required model that has never run while raw has rows', async () => {
    const run = await withFault(warehouse, async (tx) => {
      await tx.execute("DELETE FROM ops.watermarks WHERE model_name = 'fct_feature_events'");
      return runCheck(tx, curatedFreshnessCheck());
    });
    expect(failures(run).map(([b]) => b)).toEqual(['model=fct_feature_events']);
    expect(bucket(run, 'model=fct_feature_events')?.detail).toContain('the model has never run');
  });
});
