import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDuckDbWarehouse } from '#adapters/duckdb/duckdb-warehouse.ts';
import { WarehouseConflictError, WarehouseError, WarehouseQueryError } from '#core/warehouse/errors.ts';
import type { Warehouse } from '#core/warehouse/ports.ts';

describe('DuckDB warehouse', () => {
  let warehouse: Warehouse;
  beforeEach(async () => {
    warehouse = await createDuckDbWarehouse();
    await warehouse.execute('CREATE TABLE t (k VARCHAR, n INTEGER)');
  });
  afterEach(() => warehouse.close());

  it('reports the duckdb dialect', () => {
    expect(warehouse.dialect).toBe('duckdb');
  });

  it('returns rows as plain JSON-friendly values with lower-case column names', async () => {
    const [row] = await warehouse.query(
      `SELECT 42::BIGINT AS "Big", 9007199254740993::BIGINT AS huge, 1.25::DECIMAL(6,2) AS dec,
        DATE '2026-03-10' AS d, TIMESTAMP '2026-03-10 09:15:00.250' AS ts, '{"a":[1,"x"]}'::JSON AS j,
        true AS b, NULL AS nothing, 'text' AS s`,
    );
    expect(row).toEqual({
      big: 42,
      huge: '9007199254740993',
      dec: 1.25,
      d: '2026-03-10',
      ts: '2026-03-10T09:15:00.250Z',
      j: { a: [1, 'x'] },
      b: true,
      nothing: null,
      s: 'text',
    });
  });

  it('binds positional parameters and reports the rows a statement changed', async () => {
    expect(await warehouse.execute('INSERT INTO t VALUES (?, ?), (?, ?)', ['a', 1, 'b', null])).toBe(2);
    expect(await warehouse.execute('UPDATE t SET n = ? WHERE k = ?', [5, 'b'])).toBe(1);
    expect(await warehouse.query('SELECT k, n FROM t WHERE n >= ? ORDER BY k', [1])).toEqual([
      { k: 'a', n: 1 },
      { k: 'b', n: 5 },
    ]);
  });

  it('commits everything a transaction executed together', async () => {
    const result = await warehouse.transaction(async (tx) => {
      await tx.execute("INSERT INTO t VALUES ('a', 1)");
      await tx.execute("INSERT INTO t VALUES ('b', 2)");
      return 'done';
    });
    expect(result).toBe('done');
    expect(await warehouse.query('SELECT count(*) AS n FROM t')).toEqual([{ n: 2 }]);
  });

  it('rolls back everything when the work throws, and rethrows', async () => {
    await expect(
      warehouse.transaction(async (tx) => {
        await tx.execute("INSERT INTO t VALUES ('a', 1)");
        throw new Error('model failed');
      }),
    ).rejects.toThrow('model failed');
    expect(await warehouse.query('SELECT count(*) AS n FROM t')).toEqual([{ n: 0 }]);
  });

  it('joins a nested transaction to the enclosing one', async () => {
    await expect(
      warehouse.transaction(async (tx) => {
        await tx.transaction(async (inner) => inner.execute("INSERT INTO t VALUES ('a', 1)"));
        throw new Error('outer failed');
      }),
    ).rejects.toThrow('outer failed');
    expect(await warehouse.query('SELECT count(*) AS n FROM t')).toEqual([{ n: 0 }]);
  });

  it('isolates concurrent transactions and fails the second writer of the same row with a conflict', async () => {
    await warehouse.execute("INSERT INTO t VALUES ('a', 1)");
    let releaseFirst!: () => void;
    const firstHolds = new Promise<void>((resolve) => {
      releaseFirst = resolve;
    });
    const first = warehouse.transaction(async (tx) => {
      await tx.execute("UPDATE t SET n = 2 WHERE k = 'a'");
      await firstHolds;
    });
    const second = warehouse.transaction(async (tx) => {
      expect(await tx.query("SELECT n FROM t WHERE k = 'a'")).toEqual([{ n: 1 }]);
      await tx.execute("UPDATE t SET n = 3 WHERE k = 'a'");
    });
    await expect(second).rejects.toBeInstanceOf(WarehouseConflictError);
    releaseFirst();
    await first;
    expect(await warehouse.query("SELECT n FROM t WHERE k = 'a'")).toEqual([{ n: 2 }]);
  });

  it('wraps driver errors with the failing SQL', async () => {
    const error = await warehouse.query('SELECT * FROM missing_table').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WarehouseQueryError);
    expect((error as WarehouseQueryError).sql).toBe('SELECT * FROM missing_table');
    expect((error as Error).message).toContain('missing_table');
  });

  it('keeps a file database across instances, creating its folder', async () => {
    const path = join(await mkdtemp(join(tmpdir(), 'tally-duckdb-')), 'nested', 'warehouse.duckdb');
    const first = await createDuckDbWarehouse({ path });
    await first.execute('CREATE TABLE kept AS SELECT 7 AS v');
    await first.close();
    const second = await createDuckDbWarehouse({ path });
    expect(await second.query('SELECT v FROM kept')).toEqual([{ v: 7 }]);
    await second.close();
  });

  it('caps the memory DuckDB may use at memoryLimit', async () => {
    const capped = await createDuckDbWarehouse({ memoryLimit: '512MB' });
    expect(await capped.query("SELECT current_setting('memory_limit') AS m")).toEqual([{ m: '488.2 MiB' }]);
    await capped.close();
  });

  it('checkpoints a file database after checkpointThreshold of write-ahead log', async () => {
    const path = join(await mkdtemp(join(tmpdir(), 'tally-duckdb-')), 'warehouse.duckdb');
    const file = await createDuckDbWarehouse({ path, checkpointThreshold: '256MB', threads: 1 });
    expect(
      await file.query(
        "SELECT current_setting('checkpoint_threshold') AS c, current_setting('threads') AS t",
      ),
    ).toEqual([{ c: '244.1 MiB', t: 1 }]);
    await file.close();
  });

  it('refuses options that are not sizes or thread counts, naming every one', async () => {
    await expect(
      createDuckDbWarehouse({ memoryLimit: 'lots', checkpointThreshold: '16', threads: 0 }),
    ).rejects.toThrow(
      new WarehouseError(
        "DuckDB warehouse options: threads must be a positive integer, got 0; memoryLimit must be a size such as '1GB' or '512MiB', got 'lots'; checkpointThreshold must be a size such as '1GB' or '512MiB', got '16'",
      ),
    );
  });
});
