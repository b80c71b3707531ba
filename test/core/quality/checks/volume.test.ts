import { dailyVolumeCheck, hourlyVolumeCheck } from '#core/quality/checks/volume.ts';
import { DAILY_VOLUME, HOURLY_VOLUME } from '#core/quality/volume/defaults.ts';
import type { Warehouse } from '#core/warehouse/ports.ts';
import { buildCleanWarehouse, NOW, withFault } from '../support/clean-warehouse.ts';
import { bucket, failures, notPassing, runCheck } from '../support/run-check.ts';

const WEEK_MS = 7 * 86_400_000;
const iosHour = 'event=feature_used|platform=ios|hour=2024-03-12T14';
const isWeekend = (bucketName: string) => {
  const [, date] = /(?:hour|day)=(\d{4}-\d{2}-\d{2})/.exec(bucketName) ?? [];
  return [0, 6].includes(new Date(`${date}T00:00:00Z`).getUTCDay());
};

describe('volume checks on nine weeks of seasonal traffic', () => {
  let warehouse: Warehouse;
  beforeAll(async () => {
    warehouse = await buildCleanWarehouse({ history: 'weeks' });
  });
  afterAll(() => warehouse.close());

  it('judges the latest complete hour and day without alarm on clean data', async () => {
    const hourly = await runCheck(warehouse, hourlyVolumeCheck());
    const daily = await runCheck(warehouse, dailyVolumeCheck());
    expect(notPassing(hourly)).toEqual([]);
    expect(notPassing(daily)).toEqual([]);
    expect(bucket(hourly, iosHour)).toMatchObject({ status: 'pass' });
    expect(bucket(daily, 'event=feature_used|platform=android|day=2024-03-11')).toMatchObject({
      status: 'pass',
    });
  });

  it('stays quiet over every hour and day of the last two weeks, weekends included', async () => {
    const everyHourOfAWeek = hourlyVolumeCheck({ ...HOURLY_VOLUME, detectionBuckets: 168 });
    const everyDayOfAWeek = dailyVolumeCheck({ ...DAILY_VOLUME, detectionBuckets: 7 });
    const runs = [];
    for (const now of [NOW, new Date(NOW.getTime() - WEEK_MS)]) {
      runs.push(
        await runCheck(warehouse, everyHourOfAWeek, { now }),
        await runCheck(warehouse, everyDayOfAWeek, { now }),
      );
    }
    const results = runs.flatMap((r) => r.results);
    expect(results.filter((r) => r.status === 'fail')).toEqual([]);
    expect(results.filter((r) => r.check === 'volume-hourly' && r.status === 'pass').length).toBeGreaterThan(
      600,
    );
    expect(results.filter((r) => r.check === 'volume-daily' && r.status === 'pass').length).toBeGreaterThan(
      70,
    );
    expect(results.filter((r) => r.status === 'pass' && isWeekend(r.bucket)).length).toBeGreaterThan(60);
  });

  it('catches a 60 % drop of one platform in the latest hour', async () => {
    const run = await withFault(warehouse, async (tx) => {
      await tx.execute(`DELETE FROM raw.events
        WHERE platform = 'ios' AND received_at >= TIMESTAMP '2024-03-12 14:00:00' AND received_at < TIMESTAMP '2024-03-12 15:00:00'
          AND hash(dedup_key) % 5 < 3`);
      return runCheck(tx, hourlyVolumeCheck());
    });
    expect(failures(run)).toEqual([[iosHour, ['feature_used|ios']]]);
    expect(bucket(run, iosHour)?.detail).toMatch(/^drop: \d+ events vs expected \d+(\.5)?, -6\d %/);
  });

  it('catches a threefold spike of one event', async () => {
    const run = await withFault(warehouse, async (tx) => {
      for (const copy of ['a', 'b']) {
        await tx.execute(`INSERT INTO raw.events
          SELECT dedup_key || '-${copy}', event_id, event_name, schema_version, occurred_at, sent_at, received_at, event_ts,
            user_id, anonymous_id, workspace_id, feature_id, feature_known, platform, app_version, locale, source_id, intake,
            call_type, lineage, payload, file_name || '-${copy}', file_row, loaded_at, planned
          FROM raw.events
          WHERE event_name = 'page_viewed' AND received_at >= TIMESTAMP '2024-03-12 14:00:00'
            AND received_at < TIMESTAMP '2024-03-12 15:00:00' AND file_name NOT LIKE '%-a' AND file_name NOT LIKE '%-b'`);
      }
      return runCheck(tx, hourlyVolumeCheck());
    });
    expect(failures(run)).toEqual([
      ['event=page_viewed|platform=web|hour=2024-03-12T14', ['page_viewed|web']],
    ]);
    expect(bucket(run, 'event=page_viewed|platform=web|hour=2024-03-12T14')?.detail).toMatch(/^spike: /);
  });

  it('catches a 60 % drop of one platform over the latest day', async () => {
    const run = await withFault(warehouse, async (tx) => {
      await tx.execute(`DELETE FROM raw.events
        WHERE platform = 'android' AND CAST(received_at AS DATE) = DATE '2024-03-11' AND hash(dedup_key) % 5 < 3`);
      return runCheck(tx, dailyVolumeCheck());
    });
    expect(failures(run)).toEqual([
      ['event=feature_used|platform=android|day=2024-03-11', ['feature_used|android']],
    ]);
  });

  it('catches a platform that stopped sending altogether', async () => {
    const run = await withFault(warehouse, async (tx) => {
      await tx.execute(`DELETE FROM raw.events
        WHERE platform = 'backend' AND received_at >= TIMESTAMP '2024-03-12 14:00:00' AND received_at < TIMESTAMP '2024-03-12 15:00:00'`);
      return runCheck(tx, hourlyVolumeCheck());
    });
    expect(failures(run)).toEqual([
      ['event=session_started|platform=backend|hour=2024-03-12T14', ['session_started|backend']],
    ]);
    const silent = bucket(run, 'event=session_started|platform=backend|hour=2024-03-12T14');
    expect(silent).toMatchObject({ observed: 0 });
    expect(silent?.detail).toMatch(/^zero: 0 events vs expected \d/);
  });

  it('reports the failing series per platform as VolumeAnomalies', async () => {
    const run = await withFault(warehouse, async (tx) => {
      await tx.execute(`DELETE FROM raw.events
        WHERE platform = 'ios' AND received_at >= TIMESTAMP '2024-03-12 14:00:00' AND received_at < TIMESTAMP '2024-03-12 15:00:00'
          AND hash(dedup_key) % 5 < 3`);
      return runCheck(tx, hourlyVolumeCheck());
    });
    expect(run.metrics.filter((m) => m.name === 'VolumeAnomalies')).toEqual([
      {
        name: 'VolumeAnomalies',
        unit: 'Count',
        dimensions: { Grain: 'hourly', Platform: 'android' },
        value: 0,
      },
      {
        name: 'VolumeAnomalies',
        unit: 'Count',
        dimensions: { Grain: 'hourly', Platform: 'backend' },
        value: 0,
      },
      { name: 'VolumeAnomalies', unit: 'Count', dimensions: { Grain: 'hourly', Platform: 'ios' }, value: 1 },
      { name: 'VolumeAnomalies', unit: 'Count', dimensions: { Grain: 'hourly', Platform: 'web' }, value: 0 },
    ]);
  });
});
