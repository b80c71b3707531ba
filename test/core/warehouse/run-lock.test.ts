import { toCatalogRows } from '#core/warehouse/catalog-rows.ts';
import { LockReleaseError, TransformLockedError, TransformLockLostError } from '#core/warehouse/errors.ts';
import { MODELS, orderModels } from '#core/warehouse/models/index.ts';
import type { Warehouse } from '#core/warehouse/ports.ts';
import { executeRun } from '#core/warehouse/run-engine.ts';
import { acquireLock, releaseLock } from '#core/warehouse/run-lock.ts';
import { EPOCH, FAR_FUTURE } from '#core/warehouse/runner.ts';
import { DEFAULT_TRANSFORM_SETTINGS } from '#core/warehouse/settings.ts';
import { testSqlLibrary } from '#test/support/sql-library.ts';
import { freshWarehouse, STATE_TABLES, snapshot } from '../../support/warehouse-db.ts';
import { eventLine, testCatalog } from '../../support/warehouse-events.ts';
import { load, transform } from '../../support/warehouse-pipeline.ts';

const sql = testSqlLibrary('duckdb');
const handle = (warehouse: Warehouse, owner: string) => ({ warehouse, sql, owner, ttlMinutes: 20 });
const transformLockOwner = (warehouse: Warehouse) =>
  warehouse.query("SELECT owner FROM ops.locks WHERE lock_name = 'transform'");

describe('transform lock', () => {
  let warehouse: Warehouse;
  beforeEach(async () => {
    warehouse = await freshWarehouse();
    await load(warehouse, 'events/a.ndjson.gz', '2026-03-10T12:00:00.000Z', [
      eventLine({ id: 'a', at: '2026-03-10T09:00:00.000Z' }),
    ]);
  });
  afterEach(() => warehouse.close());

  it('turns a run away while another holds the lock, naming the holder, and changes nothing', async () => {
    await acquireLock(handle(warehouse, 'backfill-by-ana'), new Date('2026-03-10T12:00:00.000Z'));
    const before = await snapshot(warehouse, STATE_TABLES);
    const error = await transform(warehouse, '2026-03-10T12:05:00.000Z').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransformLockedError);
    expect(error).toMatchObject({ owner: 'backfill-by-ana', expiresAt: '2026-03-10T12:20:00.000Z' });
    expect(await snapshot(warehouse, STATE_TABLES)).toEqual(before);
  });

  it('takes over the lock of a crashed run once it has expired', async () => {
    await acquireLock(handle(warehouse, 'crashed-run'), new Date('2026-03-10T11:00:00.000Z'));
    const report = await transform(warehouse, '2026-03-10T11:21:00.000Z', { owner: 'next-run' });
    expect(report.models.find((m) => m.model === 'fct_feature_events')).toMatchObject({ rowsWritten: 1 });
    expect(await transformLockOwner(warehouse)).toEqual([{ owner: null }]);
  });

  it('releases the lock after a failed run', async () => {
    await warehouse.execute('DROP TABLE curated.feature_usage_weekly');
    await expect(transform(warehouse, '2026-03-10T12:05:00.000Z')).rejects.toThrow('feature_usage_weekly');
    expect(await transformLockOwner(warehouse)).toEqual([{ owner: null }]);
  });

  it('lets an exclusive owner take back the lock its earlier run could not release, and run at once', async () => {
    await acquireLock(handle(warehouse, 'tally-dev-local'), new Date('2026-03-10T12:00:00.000Z'));

    const report = await transform(warehouse, '2026-03-10T12:01:00.000Z', {
      owner: 'tally-dev-local',
      exclusiveOwner: true,
    });

    expect(report.models.find((m) => m.model === 'fct_feature_events')).toMatchObject({ rowsWritten: 1 });
    expect(await transformLockOwner(warehouse)).toEqual([{ owner: null }]);
  });

  it('turns away an owner that is not exclusive from its own leftover lock until it expires (runs on AWS each have their own name)', async () => {
    await acquireLock(handle(warehouse, 'shared-name'), new Date('2026-03-10T12:00:00.000Z'));

    const error = await transform(warehouse, '2026-03-10T12:01:00.000Z', { owner: 'shared-name' }).catch(
      (e: unknown) => e,
    );

    expect(error).toBeInstanceOf(TransformLockedError);
  });

  it('says the run committed but its lock stayed held when the release fails', async () => {
    const releaseFails: Warehouse = {
      ...warehouse,
      execute: async (statement, params) => {
        if (/SET owner = NULL/.test(statement)) throw new Error('Failed to commit: No space left on device');
        return warehouse.execute(statement, params);
      },
    };

    const error = await transform(releaseFails, '2026-03-10T12:05:00.000Z', { owner: 'run-1' }).catch(
      (e: unknown) => e,
    );

    expect(error).toBeInstanceOf(LockReleaseError);
    expect((error as Error).message).toMatch(
      /^run run-1 finished, but its transform lock could not be released \(.*No space left on device\)/,
    );
    expect(await warehouse.query('SELECT count(*) AS n FROM curated.fct_feature_events')).toEqual([{ n: 1 }]);
    expect(await transformLockOwner(warehouse)).toEqual([{ owner: 'run-1' }]);
  });

  it('rolls back a run that no longer holds the lock instead of writing beside the new holder', async () => {
    const lost = handle(warehouse, 'slow-run');
    await acquireLock(lost, new Date('2026-03-10T12:00:00.000Z'));
    await releaseLock(lost);
    await acquireLock(handle(warehouse, 'new-holder'), new Date('2026-03-10T12:30:00.000Z'));
    const before = await snapshot(warehouse, STATE_TABLES);
    const run = executeRun(
      {
        warehouse,
        sql,
        settings: DEFAULT_TRANSFORM_SETTINGS,
        catalog: toCatalogRows(testCatalog()),
        clock: () => new Date('2026-03-10T12:31:00.000Z'),
        lock: lost,
      },
      {
        mode: 'incremental',
        models: orderModels(MODELS),
        clearFirst: false,
        advanceWatermarks: true,
        window: async () => ({
          loadedAfter: EPOCH,
          loadedUntil: FAR_FUTURE,
          eventFrom: EPOCH,
          eventBefore: FAR_FUTURE,
          forced: null,
        }),
      },
    );
    await expect(run).rejects.toBeInstanceOf(TransformLockLostError);
    expect(await snapshot(warehouse, STATE_TABLES)).toEqual(before);
  });
});
