import {
  SnowflakeConfigError,
  SnowflakeConnectionError,
  SnowflakeQueryError,
} from '#adapters/snowflake/errors.ts';
import { errors } from './support/fake-driver.ts';
import { fakeWarehouse } from './support/warehouse-fixture.ts';

const SELECT = 'select count(*) as n from raw.events where loaded_at > ?';

/** Fails the first `times` executions with `error`, then succeeds with one row. */
const failing = (times: number, error: () => Error & { code?: unknown }) => {
  let calls = 0;
  return () => (++calls <= times ? { error: error() } : { rows: [{ N: 1 }] });
};

describe('SnowflakeWarehouse retries', () => {
  it('retries a statement after a network error and returns its result', async () => {
    const { driver, warehouse, sleeps } = fakeWarehouse();
    driver.answer = failing(1, errors.network);

    const rows = await warehouse.query(SELECT, ['2026-11-23T00:00:00.000Z']);

    expect(rows).toEqual([{ n: 1 }]);
    expect(driver.sql).toEqual([SELECT, SELECT]);
    expect(sleeps).toEqual([250]);
  });

  it('resubmits under the same request id while the outcome is unknown, so Snowflake can answer from a first run', async () => {
    const { driver, warehouse } = fakeWarehouse();
    driver.answer = failing(2, errors.serviceUnavailable);

    await warehouse.execute('insert into ops.model_runs (run_id) values (?)', ['run-1']);

    const [first, ...rest] = driver.executed.map((e) => e.requestId);
    expect(first).toMatch(/^[0-9a-f-]{36}$/);
    expect(rest).toEqual([first, first]);
  });

  it('runs a statement that failed inside Snowflake (XX000) again under a new request id', async () => {
    const { driver, warehouse } = fakeWarehouse();
    driver.answer = failing(1, errors.internal);

    await warehouse.query(SELECT, ['2026-11-23T00:00:00.000Z']);

    const [first, second] = driver.executed.map((e) => e.requestId);
    expect(second).not.toBe(first);
  });

  it('does not retry a syntax error, and reports its query id and SQLSTATE', async () => {
    const { driver, warehouse, sleeps } = fakeWarehouse();
    driver.answer = () => ({ error: errors.syntax('01b2c3d4-0000-0000-0000-0000000000cc') });

    const run = warehouse.query('select feature_id form curated.dim_feature');

    await expect(run).rejects.toThrow(SnowflakeQueryError);
    await expect(run).rejects.toMatchObject({
      queryId: '01b2c3d4-0000-0000-0000-0000000000cc',
      sqlState: '42000',
      retryable: false,
    });
    expect(driver.executed).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it('backs off exponentially with full jitter and gives up after the last attempt', async () => {
    const { driver, warehouse, sleeps, retries } = fakeWarehouse({
      retry: { maxAttempts: 4, baseDelayMs: 500, maxDelayMs: 1_500 },
    });
    driver.answer = failing(10, errors.network);

    const run = warehouse.query(SELECT, ['2026-11-23T00:00:00.000Z']);

    await expect(run).rejects.toMatchObject({ name: 'SnowflakeQueryError', code: '401001', retryable: true });
    expect(driver.executed).toHaveLength(4);
    // random() = 0.5 of the ceilings 500, 1000, then 2000 capped at 1500.
    expect(sleeps).toEqual([250, 500, 750]);
    expect(retries.map((r) => [r.attempt, r.delayMs, r.error.name])).toEqual([
      [1, 250, 'SnowflakeQueryError'],
      [2, 500, 'SnowflakeQueryError'],
      [3, 750, 'SnowflakeQueryError'],
    ]);
  });

  it('opens a new session when Snowflake says the session is gone, and runs the statement there', async () => {
    const { driver, warehouse } = fakeWarehouse();
    driver.answer = failing(1, errors.sessionGone);

    await warehouse.query(SELECT, ['2026-11-23T00:00:00.000Z']);

    expect(driver.created).toHaveLength(2);
    expect(driver.destroyed).toEqual([0]);
    expect(driver.executed.map((e) => e.connection)).toEqual([0, 1]);
  });

  it('retries a login that failed on the network', async () => {
    const { driver, warehouse, sleeps } = fakeWarehouse();
    driver.connectFailures.push(errors.network());

    await warehouse.query('select 1');

    expect(driver.created).toHaveLength(2);
    expect(driver.executed.map((e) => e.connection)).toEqual([1]);
    expect(sleeps).toEqual([250]);
  });

  it('does not retry a refused login, and says what to check', async () => {
    const { driver, warehouse, sleeps } = fakeWarehouse();
    driver.connectFailures.push(errors.badJwt());

    const run = warehouse.query('select 1');

    await expect(run).rejects.toThrow(SnowflakeConnectionError);
    await expect(run).rejects.toThrow(/RSA_PUBLIC_KEY/);
    expect(driver.created).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it('opens a session again on the next statement after a refused login', async () => {
    const { driver, warehouse } = fakeWarehouse();
    driver.connectFailures.push(errors.badJwt());
    await expect(warehouse.query('select 1')).rejects.toThrow(SnowflakeConnectionError);

    await warehouse.query('select 2');

    expect(driver.created).toHaveLength(2);
    expect(driver.sql).toEqual(['select 2']);
  });

  it('does not retry a broken key-pair secret', async () => {
    const problem = new SnowflakeConfigError(['secret tally/snowflake has no "private_key" string']);
    const { driver, warehouse, sleeps } = fakeWarehouse({ privateKey: () => Promise.reject(problem) });

    await expect(warehouse.execute('select 1')).rejects.toBe(problem);
    expect([driver.created, sleeps]).toEqual([[], []]);
  });
});
