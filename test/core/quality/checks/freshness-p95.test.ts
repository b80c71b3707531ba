import { FRESHNESS_P95_DEFAULTS, freshnessP95Check } from '#core/quality/checks/freshness-p95.ts';
import type { Warehouse } from '#core/warehouse/ports.ts';
import { toSqlTimestamp } from '#core/warehouse/time.ts';
import { buildCleanWarehouse, NOW, withFault } from '../support/clean-warehouse.ts';
import { bucket, failures, notPassing, runCheck } from '../support/run-check.ts';

const minutesBefore = (m: number) => toSqlTimestamp(new Date(NOW.getTime() - m * 60_000));

/** Snowpipe takes `seconds` to load the lines of one series received in the last `minutes`. */
const slowLoads = (tx: Warehouse, source: string, event: string, seconds: number, minutes = 90) =>
  tx.execute(
    `UPDATE raw.events SET loaded_at = received_at + to_seconds(CAST(? AS BIGINT))
     WHERE source_id = ? AND event_name = ? AND received_at > CAST(? AS TIMESTAMP)`,
    [seconds, source, event, minutesBefore(minutes)],
  );

describe('freshness-p95', () => {
  let warehouse: Warehouse;
  beforeAll(async () => {
    warehouse = await buildCleanWarehouse({ history: 'days' });
  });
  afterAll(() => warehouse.close());

  it('passes when 95% of events reach raw within 2 minutes and curated within 15', async () => {
    const run = await runCheck(warehouse, freshnessP95Check());

    expect(notPassing(run)).toEqual([]);
    // every line is loaded 30 s after receipt (rejected lines 31 s)
    expect(bucket(run, 'layer=raw')).toMatchObject({ status: 'pass', observed: 30, expectedMax: 120 });
    // runs every 5 minutes, 20 s long: a line loaded 30 s after receipt waits up to 5 min 20 s
    const curated = bucket(run, 'layer=curated');
    expect(curated).toMatchObject({ status: 'pass', expectedMax: 900 });
    expect(curated?.observed).toBeGreaterThan(240);
    expect(curated?.observed).toBeLessThanOrEqual(350);
  });

  it('fails raw when Snowpipe takes 5 minutes for a third of the events, naming the slowest files', async () => {
    const run = await withFault(warehouse, async (tx) => {
      await slowLoads(tx, 'web-app', 'feature_used', 300);
      return runCheck(tx, freshnessP95Check());
    });

    expect(bucket(run, 'layer=raw')).toMatchObject({ status: 'fail', observed: 300 });
    expect(bucket(run, 'layer=raw')?.sample).toContain(
      'events/dt=2024-03-12/hr=14/web-app-feature_used.ndjson.gz',
    );
    for (const file of bucket(run, 'layer=raw')?.sample ?? []) expect(file).toMatch(/web-app-feature_used/);
  });

  it('passes raw when only a tail under 5% of the events is slow: it judges the 95th percentile, not the slowest', async () => {
    const run = await withFault(warehouse, async (tx) => {
      await slowLoads(tx, 'backend', 'session_started', 600);
      return runCheck(tx, freshnessP95Check());
    });

    expect(bucket(run, 'layer=raw')).toMatchObject({ status: 'pass', observed: 30 });
    expect(bucket(run, 'layer=raw')?.detail).toContain('slowest 600 s');
  });

  it('fails curated when the transform stopped 40 minutes ago, counting the rows it never covered', async () => {
    const run = await withFault(warehouse, async (tx) => {
      await tx.execute('DELETE FROM ops.model_runs WHERE finished_at > CAST(? AS TIMESTAMP)', [
        minutesBefore(40),
      ]);
      return runCheck(tx, freshnessP95Check());
    });

    expect(failures(run).map(([b]) => b)).toEqual(['layer=curated']);
    const curated = bucket(run, 'layer=curated');
    expect(curated?.observed).toBeGreaterThan(FRESHNESS_P95_DEFAULTS.curatedMaxSeconds);
    expect(curated?.detail).toMatch(/\d+ not in curated yet/);
    expect(curated?.sample.length).toBeGreaterThan(0);
  });

  it('fails curated when runs are slow to cover new loads, though every run succeeds', async () => {
    const run = await withFault(warehouse, async (tx) => {
      // each run covers only the loads of 20 minutes before it started
      await tx.execute(
        "UPDATE ops.model_runs SET watermark_to = watermark_to - INTERVAL 20 MINUTE WHERE run_id LIKE 'scheduled-%'",
      );
      return runCheck(tx, freshnessP95Check());
    });

    expect(bucket(run, 'layer=curated')).toMatchObject({ status: 'fail' });
    expect(bucket(run, 'layer=curated')?.observed).toBeGreaterThan(20 * 60);
  });

  it('gives no verdict on a window with fewer events than a percentile needs', async () => {
    const run = await runCheck(warehouse, freshnessP95Check(), {
      now: new Date(NOW.getTime() + 3 * 86_400_000),
    });

    expect(run.results.map((r) => [r.bucket, r.status])).toEqual([
      ['layer=raw', 'skipped'],
      ['layer=curated', 'skipped'],
    ]);
  });

  it('publishes the two percentiles as FreshnessP95Seconds by layer', async () => {
    const run = await runCheck(warehouse, freshnessP95Check());

    expect(
      run.metrics.filter((m) => m.name === 'FreshnessP95Seconds').map((m) => m.dimensions.Layer),
    ).toEqual(['raw', 'curated']);
  });

  it('refuses a window no longer than the curated limit', () => {
    expect(() => freshnessP95Check({ ...FRESHNESS_P95_DEFAULTS, windowMinutes: 10 })).toThrow(
      /windowMinutes must be longer than curatedMaxSeconds/,
    );
  });
});
