import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { createDuckDbWarehouse } from '#adapters/duckdb/duckdb-warehouse.ts';
import { writeFileAtomic } from '#adapters/local/atomic-file.ts';
import { objectKey, objectPath } from '#adapters/local/bucket-layout.ts';
import { BucketLoader } from '#adapters/local/bucket-loader.ts';
import { loadValidator } from '#adapters/node/load-validator.ts';
import type { RawPrefixName } from '#core/contract/bucket-layout.ts';
import { encodeCollectedRecord } from '#core/contract/collected-record.ts';
import { applyWarehouseDdl } from '#core/warehouse/ddl.ts';
import type { Warehouse } from '#core/warehouse/ports.ts';
import { duckdbSql } from '#test/support/sql-library.ts';

let root: string;
let warehouse: Warehouse;
let goodLines: string[];
let rejectedLines: string[];

beforeAll(async () => {
  const validate = await loadValidator({ schemasDir: 'schemas', build: 'test' });
  const events: unknown[] = JSON.parse(await readFile('test/fixtures/local/native-events.json', 'utf8'));
  const meta = {
    v: 1 as const,
    source_id: 'web-app',
    received_at: '2025-03-09T17:42:01.250Z',
    request_id: 'req-1',
    intake: 'native' as const,
  };
  const outcomes = events.map((e) =>
    validate(encodeCollectedRecord(meta, JSON.stringify(e)), meta.received_at),
  );
  goodLines = outcomes.filter((o) => o.ok).map((o) => o.line);
  rejectedLines = outcomes.filter((o) => !o.ok).map((o) => o.line);
});

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'tally-loader-'));
  warehouse = await createDuckDbWarehouse();
  await applyWarehouseDdl(warehouse, duckdbSql);
});
afterEach(async () => {
  await warehouse.close();
  await rm(root, { recursive: true, force: true });
});

const deliver = async (prefix: RawPrefixName, lines: readonly string[]): Promise<string> => {
  const key = objectKey(prefix, `tally-${prefix}`, new Date('2025-03-09T17:42:03Z'));
  await writeFileAtomic(objectPath(root, key), gzipSync(`${lines.join('\n')}\n`));
  return key;
};

const count = async (table: string): Promise<number> =>
  Number((await warehouse.query<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`))[0]!.n);

describe('BucketLoader', () => {
  it('loads events and rejected objects into their raw tables and records each in ops.load_history', async () => {
    const eventsKey = await deliver('events', goodLines);
    const rejectedKey = await deliver('rejected', rejectedLines);
    const loader = new BucketLoader({ library: duckdbSql, warehouse, root });
    await loader.start();

    await loader.loadPending();
    await loader.stop();

    expect(await count('raw.events')).toBe(2);
    expect(await count('raw.rejected_events')).toBe(1);
    const history = await warehouse.query(
      'SELECT file_name, target_table, rows_loaded FROM ops.load_history ORDER BY 1',
    );
    expect(history).toEqual([
      { file_name: eventsKey, target_table: 'raw.events', rows_loaded: 2 },
      { file_name: rejectedKey, target_table: 'raw.rejected_events', rows_loaded: 1 },
    ]);
    const files = await warehouse.query('SELECT DISTINCT file_name FROM raw.events');
    expect(files).toEqual([{ file_name: eventsKey }]);
  });

  it('never loads a file twice, across scans and across restarts', async () => {
    await deliver('events', goodLines);
    const first = new BucketLoader({ library: duckdbSql, warehouse, root });
    await first.start();
    await first.loadPending();
    await first.loadPending();
    await first.stop();

    const restarted = new BucketLoader({ library: duckdbSql, warehouse, root });
    await restarted.start();
    const loadedAgain = await restarted.loadPending();
    await restarted.stop();

    expect(loadedAgain).toBe(0);
    expect(await count('raw.events')).toBe(2);
  });

  it('loads every line of a file around a poison line, which lands in raw.rejected_events as UNLOADABLE_LINE with its file and line, once', async () => {
    const [first, second] = goodLines as [string, string];
    const poison = JSON.stringify({ ...JSON.parse(first), event_ts: '+010000-01-01T00:00:00.000Z' });
    const surrogate = JSON.stringify({ ...JSON.parse(second), user_id: 'u1\ud800' });
    const key = await deliver('events', [first, poison, second, surrogate, first]);
    const errors: string[] = [];
    const loads: unknown[] = [];
    const loader = new BucketLoader({
      library: duckdbSql,
      warehouse,
      root,
      onError: (file) => errors.push(file),
      onLoad: (load) => loads.push(load),
    });
    await loader.start();

    await loader.loadPending();
    await loader.loadPending();
    await loader.stop();

    expect(errors).toEqual([]);
    expect(await warehouse.query('SELECT file_row FROM raw.events ORDER BY file_row')).toEqual([
      { file_row: 1 },
      { file_row: 3 },
      { file_row: 5 },
    ]);
    expect(
      await warehouse.query(
        'SELECT reason_code, file_name, file_row, raw_record FROM raw.rejected_events ORDER BY file_row',
      ),
    ).toEqual([
      { reason_code: 'UNLOADABLE_LINE', file_name: key, file_row: 2, raw_record: poison },
      { reason_code: 'UNLOADABLE_LINE', file_name: key, file_row: 4, raw_record: surrogate },
    ]);
    expect(
      await warehouse.query('SELECT file_name, rows_loaded, lines_unloadable FROM ops.load_history'),
    ).toEqual([{ file_name: key, rows_loaded: 3, lines_unloadable: 2 }]);
    expect(loads).toEqual([expect.objectContaining({ fileName: key, rows: 3, unloadable: 2 })]);
    expect(loader.stats).toMatchObject({
      filesLoaded: 1,
      rowsLoaded: 5,
      unloadableLines: 2,
      lastError: null,
    });
  });

  it('loads the good files of a group beside one with a poison line, in one transaction', async () => {
    const [first, second] = goodLines as [string, string];
    await deliver('events', [first]);
    await deliver('events', [second, '{"not":"a validated line"}']);
    await deliver('events', [first, second]);
    let transactions = 0;
    const counting: Warehouse = {
      ...warehouse,
      transaction: (work) => {
        transactions += 1;
        return warehouse.transaction(work);
      },
    };
    const loader = new BucketLoader({ library: duckdbSql, warehouse: counting, root, maxFilesPerCommit: 8 });
    await loader.start();

    await loader.loadPending();
    await loader.stop();

    expect(await count('raw.events')).toBe(4);
    expect(await count('raw.rejected_events')).toBe(1);
    expect(await count('ops.load_history')).toBe(3);
    // the file statement refused the poison file: the group ran again with that file read by lines
    expect(transactions).toBe(2);
  });

  it('stamps each load with a loaded_at later than every earlier load', async () => {
    await deliver('events', [goodLines[0]!]);
    await deliver('events', [goodLines[1]!]);
    const loader = new BucketLoader({
      library: duckdbSql,
      warehouse,
      root,
      now: () => Date.parse('2025-03-09T18:00:00Z'),
    });
    await loader.start();

    await loader.loadPending();
    await loader.stop();

    const stamps = await warehouse.query<{ loaded_at: string }>(
      'SELECT loaded_at FROM ops.load_history ORDER BY loaded_at',
    );
    expect(stamps.map((s) => s.loaded_at)).toEqual(['2025-03-09T18:00:00.000Z', '2025-03-09T18:00:00.001Z']);
  });

  it('loads waiting files several to a transaction, each with its own history row', async () => {
    for (const line of [...goodLines, ...goodLines, goodLines[0]!]) await deliver('events', [line]);
    let transactions = 0;
    const counting: Warehouse = {
      ...warehouse,
      transaction: (work) => {
        transactions += 1;
        return warehouse.transaction(work);
      },
    };
    const loader = new BucketLoader({ library: duckdbSql, warehouse: counting, root, maxFilesPerCommit: 2 });
    await loader.start();

    await loader.loadPending();
    await loader.stop();

    expect(await count('ops.load_history')).toBe(5);
    expect(await count('raw.events')).toBe(5);
    expect(transactions).toBe(3);
  });

  it('skips the temporary file of a delivery still in progress', async () => {
    const dir = join(root, 'events', 'dt=2025-03-09', 'hr=17');
    await writeFileAtomic(join(dir, 'placeholder.txt'), 'x');
    await writeFile(join(dir, '.tmp-tally-events-1-x.json.gz.1234'), gzipSync(goodLines[0]!));
    const loader = new BucketLoader({ library: duckdbSql, warehouse, root });
    await loader.start();

    await loader.loadPending();
    await loader.stop();

    expect(await count('raw.events')).toBe(0);
  });
});
