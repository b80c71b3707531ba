import {
  SnowflakeCommitOutcomeUnknownError,
  SnowflakeError,
  SnowflakeQueryError,
} from '#adapters/snowflake/errors.ts';
import type { Warehouse } from '#core/warehouse/ports.ts';
import { errors } from './support/fake-driver.ts';
import { deferred, fakeWarehouse } from './support/warehouse-fixture.ts';

const INSERT = 'insert into curated.fct_feature_events select * from staged';
const WATERMARK = 'update ops.watermarks set loaded_at = ? where model = ?';

describe('SnowflakeWarehouse.transaction', () => {
  it('runs the work between BEGIN and COMMIT on one connection and returns its result', async () => {
    const { driver, warehouse } = fakeWarehouse();
    driver.answer = ({ sqlText }) => (sqlText === INSERT ? { updatedRows: 3 } : {});

    const result = await warehouse.transaction(async (tx) => {
      const inserted = await tx.execute(INSERT);
      await tx.execute(WATERMARK, ['2026-11-23T10:00:00.000Z', 'fct_feature_events']);
      return inserted;
    });

    expect(result).toBe(3);
    expect(driver.sql).toEqual(['BEGIN', INSERT, WATERMARK, 'COMMIT']);
    expect(new Set(driver.executed.map((e) => e.connection))).toEqual(new Set([0]));
  });

  it('tags BEGIN and COMMIT like the statements between them', async () => {
    const { driver, warehouse } = fakeWarehouse();

    await warehouse.withQueryTag('fct_feature_events').transaction((tx) => tx.execute(INSERT));

    expect(driver.executed.map((e) => e.parameters.QUERY_TAG)).toEqual([
      'tally:test:fct_feature_events',
      'tally:test:fct_feature_events',
      'tally:test:fct_feature_events',
    ]);
  });

  it('rolls back and rethrows when the work throws', async () => {
    const { driver, warehouse, sleeps } = fakeWarehouse();
    const failure = new Error('affected keys could not be computed');

    const run = warehouse.transaction(async (tx) => {
      await tx.execute(INSERT);
      throw failure;
    });

    await expect(run).rejects.toBe(failure);
    expect(driver.sql).toEqual(['BEGIN', INSERT, 'ROLLBACK']);
    expect(sleeps).toEqual([]);
  });

  it('rolls back on a failed statement and does not retry a syntax error', async () => {
    const { driver, warehouse, sleeps } = fakeWarehouse();
    driver.answer = ({ sqlText }) => (sqlText === WATERMARK ? { error: errors.syntax() } : {});

    const run = warehouse.transaction(async (tx) => {
      await tx.execute(INSERT);
      await tx.execute(WATERMARK, ['2026-11-23T10:00:00.000Z', 'fct_feature_events']);
    });

    await expect(run).rejects.toMatchObject({
      name: 'SnowflakeQueryError',
      sqlState: '42000',
      sql: WATERMARK,
    });
    expect(driver.sql).toEqual(['BEGIN', INSERT, WATERMARK, 'ROLLBACK']);
    expect(sleeps).toEqual([]);
  });

  it('joins the open transaction when transaction is called inside the work, on either handle', async () => {
    const { driver, warehouse } = fakeWarehouse();

    await warehouse.transaction(async (tx) => {
      await tx.transaction((inner) => inner.execute(INSERT));
      await warehouse.transaction((inner) => inner.execute(WATERMARK, ['2026-11-23', 'm']));
    });

    expect(driver.sql).toEqual(['BEGIN', INSERT, WATERMARK, 'COMMIT']);
  });

  it('runs statements issued on the warehouse handle inside the work as part of the transaction', async () => {
    const { driver, warehouse } = fakeWarehouse();

    await warehouse.transaction(async () => {
      await warehouse.execute(INSERT);
    });

    expect(driver.sql).toEqual(['BEGIN', INSERT, 'COMMIT']);
  });

  it('never retries a statement inside the transaction; retries the whole transaction from BEGIN', async () => {
    const { driver, warehouse, sleeps } = fakeWarehouse();
    let inserts = 0;
    driver.answer = ({ sqlText }) =>
      sqlText === INSERT && ++inserts === 1 ? { error: errors.network() } : {};
    let runs = 0;

    await warehouse.transaction(async (tx) => {
      runs++;
      await tx.execute(INSERT);
    });

    expect(runs).toBe(2);
    expect(driver.sql).toEqual(['BEGIN', INSERT, 'ROLLBACK', 'BEGIN', INSERT, 'COMMIT']);
    expect(sleeps).toEqual([250]);
  });

  it('retries the whole transaction on a new session when the session was lost mid-way', async () => {
    const { driver, warehouse } = fakeWarehouse();
    let inserts = 0;
    driver.answer = ({ sqlText }) =>
      sqlText === INSERT && ++inserts === 1 ? { error: errors.sessionGone() } : {};

    await warehouse.transaction((tx) => tx.execute(INSERT));

    expect(driver.destroyed).toEqual([0]);
    expect(driver.executed.map((e) => [e.connection, e.sqlText])).toEqual([
      [0, 'BEGIN'],
      [0, INSERT],
      [1, 'BEGIN'],
      [1, INSERT],
      [1, 'COMMIT'],
    ]);
  });

  it('retries on a new session when the answer to BEGIN was lost, leaving no half-open transaction behind', async () => {
    const { driver, warehouse } = fakeWarehouse();
    let begins = 0;
    driver.answer = ({ sqlText }) =>
      sqlText === 'BEGIN' && ++begins === 1 ? { error: errors.network() } : {};

    await warehouse.transaction((tx) => tx.execute(INSERT));

    expect(driver.destroyed).toEqual([0]);
    expect(driver.executed.map((e) => [e.connection, e.sqlText])).toEqual([
      [0, 'BEGIN'],
      [1, 'BEGIN'],
      [1, INSERT],
      [1, 'COMMIT'],
    ]);
  });

  it('reports a COMMIT whose answer was lost as outcome unknown, and does not run the work again', async () => {
    const { driver, warehouse, sleeps } = fakeWarehouse();
    driver.answer = ({ sqlText }) => (sqlText === 'COMMIT' ? { error: errors.network() } : {});
    let runs = 0;

    const run = warehouse.transaction(async (tx) => {
      runs++;
      await tx.execute(INSERT);
    });

    await expect(run).rejects.toThrow(SnowflakeCommitOutcomeUnknownError);
    await expect(run).rejects.toMatchObject({
      retryable: false,
      sql: 'COMMIT',
      cause: expect.any(SnowflakeQueryError),
    });
    expect(runs).toBe(1);
    expect(driver.sql).toEqual(['BEGIN', INSERT, 'COMMIT']);
    expect(driver.destroyed).toEqual([0]);
    expect(sleeps).toEqual([]);
  });

  it('makes a statement issued outside the work wait until the transaction has ended', async () => {
    const { driver, warehouse } = fakeWarehouse();
    const hold = deferred();
    const started = deferred();

    const transaction = warehouse.transaction(async (tx) => {
      await tx.execute(INSERT);
      started.resolve();
      await hold.promise;
      await tx.execute(WATERMARK, ['2026-11-23', 'm']);
    });
    await started.promise;
    const elsewhere = warehouse.query('select count(*) from curated.fct_feature_events');
    hold.resolve();
    await Promise.all([transaction, elsewhere]);

    expect(driver.sql).toEqual([
      'BEGIN',
      INSERT,
      WATERMARK,
      'COMMIT',
      'select count(*) from curated.fct_feature_events',
    ]);
  });

  it('refuses statements on a transaction handle once its transaction has ended', async () => {
    const { driver, warehouse } = fakeWarehouse();
    let leaked: Warehouse | undefined;
    await warehouse.transaction(async (tx) => {
      leaked = tx;
    });

    await expect(leaked!.execute(INSERT)).rejects.toThrow(
      new SnowflakeError(`statement issued after its transaction ended: ${INSERT}`),
    );
    expect(driver.sql).toEqual(['BEGIN', 'COMMIT']);
  });

  it('drops the session when ROLLBACK itself fails, so no half-done transaction is reused', async () => {
    const { driver, warehouse } = fakeWarehouse();
    driver.answer = ({ sqlText }) =>
      sqlText === INSERT || sqlText === 'ROLLBACK' ? { error: errors.syntax() } : {};

    await expect(warehouse.transaction((tx) => tx.execute(INSERT))).rejects.toThrow(SnowflakeQueryError);
    await warehouse.execute('select 1');

    expect(driver.destroyed).toEqual([0]);
    expect(driver.executed.map((e) => [e.connection, e.sqlText])).toEqual([
      [0, 'BEGIN'],
      [0, INSERT],
      [0, 'ROLLBACK'],
      [1, 'select 1'],
    ]);
  });
});
