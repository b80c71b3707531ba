import {
  ModelRunError,
  RunDeadlineError,
  RunStoppedError,
  TransformLockedError,
} from '#core/warehouse/errors.ts';
import type { Warehouse } from '#core/warehouse/ports.ts';
import { lockMinutes, runIncremental } from '#core/warehouse/runner.ts';
import { DEFAULT_TRANSFORM_SETTINGS } from '#core/warehouse/settings.ts';
import { duckdbSql } from '#test/support/sql-library.ts';
import { freshWarehouse, STATE_TABLES, snapshot } from '../../support/warehouse-db.ts';
import { eventLine, testCatalog } from '../../support/warehouse-events.ts';
import { load } from '../../support/warehouse-pipeline.ts';

const AT = Date.parse('2026-03-10T12:05:00.000Z');
const transformLock = (warehouse: Warehouse) =>
  warehouse.query("SELECT owner, expires_at FROM ops.locks WHERE lock_name = 'transform'");

/** A clock that moves `stepMs` on every reading: a run whose statements take time. */
const movingClock = (stepMs: number) => {
  let now = AT;
  return () => {
    now += stepMs;
    return new Date(now);
  };
};

describe('a run with a deadline', () => {
  let warehouse: Warehouse;
  beforeEach(async () => {
    warehouse = await freshWarehouse();
    await load(warehouse, 'events/a.ndjson.gz', '2026-03-10T12:00:00.000Z', [
      eventLine({ id: 'a', at: '2026-03-10T09:00:00.000Z' }),
      eventLine({ id: 'b', at: '2026-03-10T10:00:00.000Z', user: 'user-2' }),
    ]);
  });
  afterEach(() => warehouse.close());

  it('rolls back and frees the lock when its time runs out between statements, and the next run does the work', async () => {
    const before = await snapshot(warehouse, STATE_TABLES);
    // every reading of the clock is a second later; the last statement may start 2 min before the deadline,
    // which comes a few models into the run
    const deadline = { at: new Date(AT + 150_000), reserveMs: 120_000 };
    const error = await runIncremental({
      library: duckdbSql,
      warehouse,
      catalog: testCatalog(),
      clock: movingClock(1000),
      owner: 'lambda-run',
      deadline,
    }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ModelRunError);
    expect((error as ModelRunError).cause).toBeInstanceOf(RunDeadlineError);
    expect((error as ModelRunError).model).not.toBe('(start)');
    expect(await snapshot(warehouse, STATE_TABLES)).toEqual(before);
    expect(await transformLock(warehouse)).toEqual([{ owner: null, expires_at: null }]);
    expect(await warehouse.query("SELECT status, error FROM ops.model_runs WHERE status = 'failed'")).toEqual(
      [{ status: 'failed', error: expect.stringContaining("before the run's deadline") }],
    );

    const next = await runIncremental({
      library: duckdbSql,
      warehouse,
      catalog: testCatalog(),
      clock: () => new Date(AT + 300_000),
    });
    expect(next.models.find((m) => m.model === 'fct_feature_events')).toMatchObject({ rowsWritten: 2 });
  });

  it('rolls back and frees the lock when asked to stop mid-run, and the next run does the work', async () => {
    const before = await snapshot(warehouse, STATE_TABLES);
    const stop = new AbortController();
    // the stop comes while the run is under way: after a few dozen of its statements
    let statements = 0;
    const counting = (target: Warehouse): Warehouse => ({
      dialect: target.dialect,
      execute: (sql, params) => {
        if (++statements === 40) stop.abort(new Error('tally dev is stopping'));
        return target.execute(sql, params);
      },
      query: (sql, params) => {
        if (++statements === 40) stop.abort(new Error('tally dev is stopping'));
        return target.query(sql, params);
      },
      transaction: (work) => target.transaction((tx) => work(counting(tx))),
      close: () => target.close(),
    });
    const error = await runIncremental({
      warehouse: counting(warehouse),
      catalog: testCatalog(),
      clock: () => new Date(AT),
      owner: 'local-run',
      signal: stop.signal,
      library: duckdbSql,
    }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ModelRunError);
    expect((error as ModelRunError).cause).toBeInstanceOf(RunStoppedError);
    expect(statements).toBeLessThan(60);
    expect(await snapshot(warehouse, STATE_TABLES)).toEqual(before);
    expect(await transformLock(warehouse)).toEqual([{ owner: null, expires_at: null }]);
    expect(await warehouse.query("SELECT error FROM ops.model_runs WHERE status = 'failed'")).toEqual([
      { error: expect.stringContaining('stopped before it finished (tally dev is stopping)') },
    ]);

    const next = await runIncremental({
      warehouse,
      catalog: testCatalog(),
      clock: () => new Date(AT + 60_000),
      library: duckdbSql,
    });
    expect(next.models.find((m) => m.model === 'fct_feature_events')).toMatchObject({ rowsWritten: 2 });
  });

  it('holds the lock until its deadline plus the margin, so a run killed at its timeout blocks the next runs that long only', async () => {
    const deadline = { at: new Date(AT + 5 * 60_000), reserveMs: 90_000 };
    // a Lambda killed at its timeout: it took the lock and never released it (simulated by a run whose
    // lock is released by nobody: the lock row is written as the run takes it, then the process dies)
    expect(lockMinutes(DEFAULT_TRANSFORM_SETTINGS, new Date(AT), deadline)).toBe(5 + 1);
    expect(lockMinutes(DEFAULT_TRANSFORM_SETTINGS, new Date(AT))).toBe(
      DEFAULT_TRANSFORM_SETTINGS.lockTtlMinutes,
    );
    await warehouse.execute(
      "UPDATE ops.locks SET owner = 'killed-run', acquired_at = CAST(? AS TIMESTAMP), expires_at = CAST(? AS TIMESTAMP) WHERE lock_name = 'transform'",
      ['2026-03-10 12:05:00', '2026-03-10 12:11:00'],
    );

    const blocked = await runIncremental({
      library: duckdbSql,
      warehouse,
      catalog: testCatalog(),
      clock: () => new Date(AT + 5 * 60_000 + 30_000),
    }).catch((e: unknown) => e);
    expect(blocked).toBeInstanceOf(TransformLockedError);
    const after = await runIncremental({
      library: duckdbSql,
      warehouse,
      catalog: testCatalog(),
      clock: () => new Date(AT + 6 * 60_000 + 1000),
    });
    expect(after.models.find((m) => m.model === 'fct_feature_events')).toMatchObject({ rowsWritten: 2 });
  });

  it('takes the lock for the time to its deadline plus the margin', async () => {
    const deadline = { at: new Date(AT + 5 * 60_000), reserveMs: 90_000 };
    const taken: unknown[][] = [];
    // the statement that takes the lock, seen as the warehouse receives it
    const watched: Warehouse = {
      ...warehouse,
      execute: (sql, params) => {
        if (sql.includes('acquired_at = CAST')) taken.push([...(params ?? [])]);
        return warehouse.execute(sql, params);
      },
    };
    await runIncremental({
      library: duckdbSql,
      warehouse: watched,
      catalog: testCatalog(),
      clock: () => new Date(AT),
      owner: 'lambda-run',
      deadline,
    });
    // owner, now, expires_at (the deadline 12:10 plus a minute), lock name, now
    expect(taken).toEqual([
      [
        'lambda-run',
        '2026-03-10 12:05:00.000',
        '2026-03-10 12:11:00.000',
        'transform',
        '2026-03-10 12:05:00.000',
      ],
    ]);
  });
});
