import { mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDuckDbWarehouse, type OpenDuckDbWarehouse } from '#adapters/duckdb/duckdb-warehouse.ts';
import { WarehouseQueryError, WarehouseUnavailableError } from '#core/warehouse/errors.ts';
import { mountSmallDisk, type SmallDisk } from '../../support/small-disk.ts';
import { until } from '../../support/until.ts';

/** Makes DuckDB's next checkpoint fail as a checkpoint that cannot write the file does (a test hook of DuckDB's). */
const ABORT_NEXT_CHECKPOINT = "SET debug_checkpoint_abort = 'after_free_list_write'";

const errorOf = async (work: Promise<unknown>): Promise<unknown> => work.then(() => null).catch((e) => e);

describe('DuckDB warehouse after a fatal error', () => {
  let dir: string;
  let warehouse: OpenDuckDbWarehouse;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tally-duckdb-reopen-'));
  });
  afterEach(async () => {
    await warehouse?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('reopens a database a failed checkpoint invalidated, keeping everything committed before', async () => {
    const faults: string[] = [];
    const reopened: string[] = [];
    warehouse = await createDuckDbWarehouse({
      path: join(dir, 'w.duckdb'),
      threads: 1,
      onFault: (fault) => faults.push(fault.reason),
      onReopen: (fault) => reopened.push(fault.reason),
    });
    await warehouse.execute('CREATE TABLE t AS SELECT 1 AS v');
    await warehouse.execute(ABORT_NEXT_CHECKPOINT);

    const fatal = await errorOf(warehouse.execute('CHECKPOINT'));

    expect(fatal).toBeInstanceOf(WarehouseQueryError);
    expect(faults).toEqual([expect.stringMatching(/FATAL Error: Failed to create checkpoint/)]);
    await until(() => warehouse.fault === null);
    expect(reopened).toEqual(faults);
    expect(await warehouse.query('SELECT v FROM t')).toEqual([{ v: 1 }]);
    await warehouse.execute('INSERT INTO t VALUES (2)');
    expect(await warehouse.query('SELECT count(*) AS n FROM t')).toEqual([{ n: 2 }]);
  });

  it('resolves a transaction whose commit was durable although the checkpoint after it failed', async () => {
    warehouse = await createDuckDbWarehouse({
      path: join(dir, 'w.duckdb'),
      threads: 1,
      checkpointThreshold: '1KB',
    });
    await warehouse.execute('CREATE TABLE t (v INTEGER)');
    await warehouse.execute(ABORT_NEXT_CHECKPOINT);

    const result = await warehouse.transaction(async (tx) => {
      await tx.execute('INSERT INTO t SELECT * FROM range(1000)');
      return 'loaded';
    });

    expect(result).toBe('loaded');
    await until(() => warehouse.fault === null);
    expect(await warehouse.query('SELECT count(*) AS n FROM t')).toEqual([{ n: 1000 }]);
  });

  it('answers every call with WarehouseUnavailableError, naming the fatal error, until it is reopened', async () => {
    const path = join(dir, 'w.duckdb');
    warehouse = await createDuckDbWarehouse({ path, threads: 1, reopenDelayMs: 20 });
    await warehouse.execute('CREATE TABLE t AS SELECT 1 AS v');
    // the file cannot be opened again for now: a folder stands where it was (DuckDB keeps its open handle)
    await rename(path, `${path}.aside`);
    await mkdir(path);
    await warehouse.execute(ABORT_NEXT_CHECKPOINT);
    await errorOf(warehouse.execute('CHECKPOINT'));

    await until(() => (warehouse.fault?.failedAttempts ?? 0) >= 2);
    const refused = await errorOf(warehouse.query('SELECT v FROM t'));
    const refusedTx = await errorOf(warehouse.transaction((tx) => tx.query('SELECT v FROM t')));

    expect(refused).toBeInstanceOf(WarehouseUnavailableError);
    expect((refused as Error).message).toMatch(
      /unavailable until it is reopened .*Failed to create checkpoint/,
    );
    expect(refusedTx).toBeInstanceOf(WarehouseUnavailableError);
    expect(warehouse.fault?.lastAttemptError).toMatch(/w\.duckdb/);

    await rm(path, { recursive: true });
    await rename(`${path}.aside`, path);
    await until(() => warehouse.fault === null, 30_000);
    expect(await warehouse.query('SELECT v FROM t')).toEqual([{ v: 1 }]);
  });
});

describe('DuckDB warehouse on a disk that fills up', () => {
  let disk: SmallDisk;
  let warehouse: OpenDuckDbWarehouse | undefined;
  beforeAll(async () => {
    disk = await mountSmallDisk(24);
    if (!disk.mounted) {
      console.warn(
        `mounting a tmpfs was refused (${disk.refusal}); these specs fail the checkpoint with DuckDB's ` +
          'debug_checkpoint_abort instead of a full disk',
      );
    }
  });
  afterEach(async () => {
    await warehouse?.close();
    await disk.free();
  });
  afterAll(async () => {
    await disk.dispose();
  });

  it('survives a checkpoint on a full disk: writes fail while full, and resume once space is back, with no restart', async () => {
    warehouse = await createDuckDbWarehouse({ path: join(disk.dir, 'w.duckdb'), threads: 1 });
    await warehouse.execute('CREATE TABLE t (v VARCHAR)');
    await warehouse.execute('INSERT INTO t SELECT md5(i::VARCHAR) FROM range(20000) r(i)');
    if (disk.mounted) await disk.fill();
    else await warehouse.execute(ABORT_NEXT_CHECKPOINT);

    const fatal = await errorOf(warehouse.execute('CHECKPOINT'));

    expect((fatal as Error).message).toMatch(
      disk.mounted ? /No space left on device/ : /Failed to create checkpoint/,
    );
    await disk.free();
    await until(() => warehouse?.fault === null, 30_000);
    await warehouse.execute("INSERT INTO t VALUES ('after')");
    expect(await warehouse.query('SELECT count(*) AS n FROM t')).toEqual([{ n: 20001 }]);
    await warehouse.execute('CHECKPOINT');
  });
});
