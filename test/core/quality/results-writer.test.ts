import type { CheckResult } from '#core/quality/check.ts';
import { RESULTS_RETENTION_DAYS, recordRun } from '#core/quality/results-writer.ts';
import type { QualityRun } from '#core/quality/runner.ts';
import type { Warehouse } from '#core/warehouse/ports.ts';
import { duckdbSql } from '#test/support/sql-library.ts';
import { freshWarehouse } from '../../support/warehouse-db.ts';

const DAY = 86_400_000;
const at = new Date('2026-03-10T15:05:00.000Z');
const result = (runId: string, checkedAt: Date, overrides: Partial<CheckResult> = {}): CheckResult => ({
  check: 'duplicate-rate',
  severity: 'warn',
  bucket: 'source=web-app',
  status: 'fail',
  observed: 7.25,
  expectedMin: 0,
  expectedMax: 5,
  sample: ['dk-1', 'dk-2'],
  detail: '58 of 800 loaded rows repeat an event',
  runId,
  checkedAt,
  ...overrides,
});
const runOf = (runId: string, startedAt: Date, results: CheckResult[]): QualityRun => ({
  runId,
  startedAt,
  results,
  metrics: [],
  errors: [],
});

describe('recordRun', () => {
  let warehouse: Warehouse;
  beforeEach(async () => {
    warehouse = await freshWarehouse();
  });
  afterEach(() => warehouse.close());

  it('stores every field of every result, the sample as a JSON array and open bounds as NULL', async () => {
    await recordRun(
      warehouse,
      runOf('run-1', at, [
        result('run-1', at),
        result('run-1', at, {
          check: 'freshness-raw',
          bucket: 'raw',
          status: 'skipped',
          observed: null,
          expectedMin: null,
          sample: [],
          detail: undefined,
        }),
      ]),
      duckdbSql,
    );
    expect(await warehouse.query('SELECT * FROM ops.quality_results ORDER BY check_name')).toEqual([
      {
        run_id: 'run-1',
        checked_at: '2026-03-10T15:05:00.000Z',
        check_name: 'duplicate-rate',
        bucket: 'source=web-app',
        severity: 'warn',
        status: 'fail',
        observed: 7.25,
        expected_min: 0,
        expected_max: 5,
        offending_keys: ['dk-1', 'dk-2'],
        detail: '58 of 800 loaded rows repeat an event',
      },
      {
        run_id: 'run-1',
        checked_at: '2026-03-10T15:05:00.000Z',
        check_name: 'freshness-raw',
        bucket: 'raw',
        severity: 'warn',
        status: 'skipped',
        observed: null,
        expected_min: null,
        expected_max: 5,
        offending_keys: [],
        detail: null,
      },
    ]);
  });

  it('shows the latest result of each check and bucket in ops.quality_status', async () => {
    const later = new Date(at.getTime() + 300_000);
    await recordRun(warehouse, runOf('run-1', at, [result('run-1', at)]), duckdbSql);
    await recordRun(
      warehouse,
      runOf('run-2', later, [result('run-2', later, { status: 'pass', observed: 1 })]),
      duckdbSql,
    );
    expect(await warehouse.query('SELECT run_id, status, observed FROM ops.quality_status')).toEqual([
      { run_id: 'run-2', status: 'pass', observed: 1 },
    ]);
  });

  it(`deletes results older than ${RESULTS_RETENTION_DAYS} days when it records a run`, async () => {
    const old = new Date(at.getTime() - (RESULTS_RETENTION_DAYS + 1) * DAY);
    const recent = new Date(at.getTime() - (RESULTS_RETENTION_DAYS - 1) * DAY);
    await recordRun(warehouse, runOf('old', old, [result('old', old)]), duckdbSql);
    await recordRun(warehouse, runOf('recent', recent, [result('recent', recent)]), duckdbSql);
    await recordRun(warehouse, runOf('now', at, [result('now', at)]), duckdbSql);
    expect(await warehouse.query('SELECT run_id FROM ops.quality_results ORDER BY checked_at')).toEqual([
      { run_id: 'recent' },
      { run_id: 'now' },
    ]);
  });

  it('summarises the run per check in ops.quality_check_runs: worst status, buckets, judged values', async () => {
    await recordRun(
      warehouse,
      runOf('run-1', at, [
        result('run-1', at, { bucket: 'source=web-app', status: 'fail', observed: 7.25 }),
        result('run-1', at, { bucket: 'source=ios-app', status: 'pass', observed: -1.5 }),
        result('run-1', at, { bucket: 'source=backend', status: 'skipped', observed: 99 }),
        result('run-1', at, { check: 'freshness-raw', bucket: 'raw', status: 'pass', observed: 12 }),
      ]),
      duckdbSql,
    );
    expect(
      await warehouse.query(
        'SELECT check_name, status, buckets, failing_buckets, observed_max, observed_abs_total FROM ops.quality_check_runs ORDER BY 1',
      ),
    ).toEqual([
      {
        check_name: 'duplicate-rate',
        status: 'fail',
        buckets: 3,
        failing_buckets: 1,
        observed_max: 7.25,
        observed_abs_total: 8.75,
      },
      {
        check_name: 'freshness-raw',
        status: 'pass',
        buckets: 1,
        failing_buckets: 0,
        observed_max: 12,
        observed_abs_total: 12,
      },
    ]);
  });
});
