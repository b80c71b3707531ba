import { DuckDBInstance } from '@duckdb/node-api';
import { createDuckDbWarehouse } from '#adapters/duckdb/duckdb-warehouse.ts';
import { createSnowflakeWarehouse } from '#adapters/snowflake/snowflake-warehouse.ts';
import type { Warehouse } from '#core/warehouse/ports.ts';
import { config, deferred, testKey } from './snowflake/support/warehouse-fixture.ts';
import { duckDbDriver } from './support/duckdb-driver.ts';

/**
 * The warehouse port's contract, run against both adapters: DuckDB (local mode) and Snowflake through its
 * driver seam, the driver executing on DuckDB. Core code written against one adapter behaves the same on
 * the other; in particular a call on the outer handle from inside a transaction's work joins the
 * transaction (it neither runs beside it nor waits for it).
 */
const adapters: [string, () => Promise<Warehouse>][] = [
  ['DuckDB', () => createDuckDbWarehouse({ threads: 1 })],
  [
    'Snowflake (driver seam on DuckDB)',
    async () =>
      createSnowflakeWarehouse(config, {
        connect: duckDbDriver(await DuckDBInstance.create(':memory:')),
        privateKey: async () => testKey(),
        sleep: async () => undefined,
      }),
  ],
];

describe.each(adapters)('the warehouse port on %s', (_name, open) => {
  let warehouse: Warehouse;
  const count = async (): Promise<number> =>
    Number((await warehouse.query<{ n: number }>('SELECT count(*) AS n FROM t'))[0]?.n);

  beforeEach(async () => {
    warehouse = await open();
    await warehouse.execute('CREATE TABLE t (id INTEGER, name VARCHAR)');
  });
  afterEach(() => warehouse.close());

  it('binds positional parameters and answers rows keyed by lower-case column names', async () => {
    await warehouse.execute('INSERT INTO t VALUES (?, ?), (?, ?)', [1, 'a', 2, null]);

    expect(await warehouse.query('SELECT id AS "Id", name FROM t WHERE id >= ? ORDER BY id', [1])).toEqual([
      { id: 1, name: 'a' },
      { id: 2, name: null },
    ]);
  });

  it('answers the number of rows an INSERT, UPDATE or DELETE changed', async () => {
    expect(await warehouse.execute("INSERT INTO t VALUES (1, 'a'), (2, 'b'), (3, 'c')")).toBe(3);
    expect(await warehouse.execute("UPDATE t SET name = 'z' WHERE id > 1")).toBe(2);
    expect(await warehouse.execute('DELETE FROM t WHERE id = 3')).toBe(1);
  });

  it('commits everything a transaction executed together and returns what its work returned', async () => {
    const result = await warehouse.transaction(async (tx) => {
      await tx.execute("INSERT INTO t VALUES (1, 'a')");
      await tx.execute("INSERT INTO t VALUES (2, 'b')");
      return 'done';
    });

    expect(result).toBe('done');
    expect(await count()).toBe(2);
  });

  it('rolls everything back when the work throws, and rethrows that very error', async () => {
    const failure = new Error('the work failed');

    await expect(
      warehouse.transaction(async (tx) => {
        await tx.execute("INSERT INTO t VALUES (1, 'a')");
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect(await count()).toBe(0);
  });

  it('lets the work read its own uncommitted writes', async () => {
    const seen = await warehouse.transaction(async (tx) => {
      await tx.execute("INSERT INTO t VALUES (1, 'a')");
      return (await tx.query<{ n: number }>('SELECT count(*) AS n FROM t'))[0]?.n;
    });

    expect(Number(seen)).toBe(1);
  });

  it('runs a call on the outer handle from inside the work in the transaction: it sees the writes and is rolled back with them', async () => {
    const failure = new Error('roll back');
    let seen: number | undefined;

    await expect(
      warehouse.transaction(async (tx) => {
        await tx.execute("INSERT INTO t VALUES (1, 'a')");
        await warehouse.execute("INSERT INTO t VALUES (2, 'b')");
        seen = await count();
        throw failure;
      }),
    ).rejects.toBe(failure);

    expect(seen).toBe(2);
    expect(await count()).toBe(0);
  });

  it('joins the enclosing transaction when transaction() is called inside the work, on either handle', async () => {
    const failure = new Error('roll back');

    await expect(
      warehouse.transaction(async (tx) => {
        await tx.transaction((inner) => inner.execute("INSERT INTO t VALUES (1, 'a')"));
        await warehouse.transaction((inner) => inner.execute("INSERT INTO t VALUES (2, 'b')"));
        throw failure;
      }),
    ).rejects.toBe(failure);

    expect(await count()).toBe(0);
  });

  it('never shows a transaction’s writes to a caller outside it before it commits', async () => {
    const gate = deferred();
    const inserted = deferred();
    const failure = new Error('roll back');
    const running = warehouse.transaction(async (tx) => {
      await tx.execute("INSERT INTO t VALUES (1, 'a')");
      inserted.resolve();
      await gate.promise;
      throw failure;
    });
    await inserted.promise;

    // issued from outside the work: it may run beside the transaction or wait for it, never inside it
    const outside = count();
    gate.resolve();

    await expect(running).rejects.toBe(failure);
    expect(await outside).toBe(0);
  });

  it('refuses a statement on a transaction handle after its transaction ended', async () => {
    let kept: Warehouse | undefined;
    await warehouse.transaction(async (tx) => {
      kept = tx;
    });

    await expect(kept?.execute("INSERT INTO t VALUES (1, 'a')")).rejects.toThrow(
      /statement issued after its transaction ended/,
    );
    expect(await count()).toBe(0);
  });
});
