import { timestampDriftCheck } from '#core/quality/checks/timestamp-drift.ts';
import { runChecks } from '#core/quality/runner.ts';
import type { Warehouse } from '#core/warehouse/ports.ts';
import { duckdbSql } from '#test/support/sql-library.ts';
import { freshWarehouse } from '../../support/warehouse-db.ts';
import { eventLine } from '../../support/warehouse-events.ts';
import { load, rebuild, transform } from '../../support/warehouse-pipeline.ts';

const RECEIVED = '2026-03-10T23:58:00.000Z';

/** An event whose device clock is far ahead (no sent_at, so nothing corrects it), received just before midnight. */
const ahead = { ...eventLine({ id: 'ahead', at: '2031-06-01T08:00:00.000Z', receivedAt: RECEIVED }) };
/** One a minute ahead: within the tolerance, kept as it is. */
const slightly = eventLine({
  id: 'slightly',
  at: '2026-03-10T23:59:00.000Z',
  receivedAt: RECEIVED,
  user: 'u2',
});
const onTime = eventLine({ id: 'on-time', at: '2026-03-10T20:00:00.000Z', user: 'u3' });

describe('an event dated in the future by its device clock', () => {
  let warehouse: Warehouse;
  beforeEach(async () => {
    warehouse = await freshWarehouse();
    await load(warehouse, 'events/a.ndjson.gz', '2026-03-11T00:01:00.000Z', [ahead, slightly, onTime]);
    await transform(warehouse, '2026-03-11T00:05:00.000Z');
  });
  afterEach(() => warehouse.close());

  it('is clamped to its receipt plus 5 minutes and flagged, and one within the tolerance is kept as sent', async () => {
    expect(
      await warehouse.query(
        'SELECT dedup_key, event_ts, event_date, event_ts_clamped FROM curated.fct_feature_events ORDER BY dedup_key',
      ),
    ).toEqual([
      {
        dedup_key: 'dk-ahead',
        event_ts: '2026-03-11T00:03:00.000Z',
        event_date: '2026-03-11',
        event_ts_clamped: true,
      },
      {
        dedup_key: 'dk-on-time',
        event_ts: onTime.event_ts,
        event_date: '2026-03-10',
        event_ts_clamped: false,
      },
      {
        dedup_key: 'dk-slightly',
        event_ts: slightly.event_ts,
        event_date: '2026-03-10',
        event_ts_clamped: false,
      },
    ]);
  });

  it("does not move its workspace's adoption window into the future", async () => {
    expect(
      await warehouse.query('SELECT DISTINCT as_of_date FROM curated.feature_adoption_by_workspace'),
    ).toEqual([{ as_of_date: '2026-03-11' }]);
    expect(
      await warehouse.query('SELECT MAX(last_seen) AS last FROM curated.user_feature_last_seen'),
    ).toEqual([{ last: '2026-03-11' }]);
  });

  it('is counted by the timestamp-drift check as a future-dated event', async () => {
    const run = await runChecks([timestampDriftCheck({ ...TIMESTAMP_DRIFT, minCount: 1 })], {
      warehouse,
      sql: duckdbSql,
      now: new Date('2026-03-11T00:05:00.000Z'),
      sampleSize: 10,
    });
    expect(run.results.find((r) => r.bucket.includes('future'))).toMatchObject({
      status: 'fail',
      sample: ['dk-ahead'],
    });
  });

  it('is clamped the same way by a rebuild', async () => {
    const incremental = await warehouse.query('SELECT * FROM curated.fct_feature_events ORDER BY dedup_key');
    await rebuild(warehouse, '2026-03-11T00:05:00.000Z');
    expect(await warehouse.query('SELECT * FROM curated.fct_feature_events ORDER BY dedup_key')).toEqual(
      incremental,
    );
  });
});

const TIMESTAMP_DRIFT = { lookbackMinutes: 60, futureMinutes: 5, pastHours: 72, maxPercent: 1, minCount: 10 };
