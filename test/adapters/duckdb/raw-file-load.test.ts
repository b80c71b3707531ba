import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { createDuckDbWarehouse, type DuckDbWarehouse } from '#adapters/duckdb/duckdb-warehouse.ts';
import { applyWarehouseDdl } from '#core/warehouse/ddl.ts';
import { WarehouseQueryError } from '#core/warehouse/errors.ts';
import { canLoadRawFiles } from '#core/warehouse/raw-file-loading.ts';
import { duckdbSql } from '#test/support/sql-library.ts';
import { featureUsedFixture, rejectedFixture } from '../../support/warehouse-events.ts';

const LOADED_AT = new Date('2026-03-10T09:20:00.000Z');
const json = (value: unknown): string => JSON.stringify(value);

let warehouse: DuckDbWarehouse;
let folder: string;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'tally-duckdb-file-'));
});
afterAll(() => rm(folder, { recursive: true, force: true }));
beforeEach(async () => {
  warehouse = await createDuckDbWarehouse({ threads: 1 });
  await applyWarehouseDdl(warehouse, duckdbSql);
});
afterEach(() => warehouse.close());

const gzipFile = async (lines: readonly string[]): Promise<string> => {
  const path = join(await mkdtemp(join(folder, 'file-')), 'file.json.gz');
  await writeFile(path, gzipSync(`${lines.join('\n')}\n`));
  return path;
};

describe('DuckDB raw file load', () => {
  it('inserts every line of a gzip file in one statement, numbering lines from 1 and counting blank ones', async () => {
    const path = await gzipFile([
      json(featureUsedFixture()),
      '',
      json({ ...featureUsedFixture(), dedup_key: 'dk-2' }),
    ]);
    const rows = await warehouse.loadRawFile({
      table: 'raw.events',
      path,
      compression: 'gzip',
      fileName: 'events/a.json.gz',
      loadedAt: LOADED_AT,
    });
    expect(rows).toBe(2);
    expect(
      await warehouse.query('SELECT dedup_key, file_name, file_row, loaded_at FROM raw.events ORDER BY 3'),
    ).toEqual([
      {
        dedup_key: '5f0c2a61c8a94f3f9d1e7b2a4c6e8d01',
        file_name: 'events/a.json.gz',
        file_row: 1,
        loaded_at: '2026-03-10T09:20:00.000Z',
      },
      {
        dedup_key: 'dk-2',
        file_name: 'events/a.json.gz',
        file_row: 3,
        loaded_at: '2026-03-10T09:20:00.000Z',
      },
    ]);
  });

  it('fails the whole file on a line that breaks a check, naming the file, the line and the reason', async () => {
    const path = await gzipFile([
      json(featureUsedFixture()),
      json({ ...featureUsedFixture(), feature_known: 1 }),
    ]);
    const error = await warehouse
      .loadRawFile({
        table: 'raw.events',
        path,
        compression: 'gzip',
        fileName: 'events/b.json.gz',
        loadedAt: LOADED_AT,
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WarehouseQueryError);
    expect((error as Error).message).toMatch(
      /^events\/b\.json\.gz: .*line 2: feature_known must be a boolean/,
    );
    expect(await warehouse.query('SELECT count(*) AS n FROM raw.events')).toEqual([{ n: 0 }]);
  });

  it('fails the whole file on a line that is not JSON', async () => {
    const path = await gzipFile([json(rejectedFixture()), '{"reason": {"code": "X"}, "raw_record": "r", ']);
    await expect(
      warehouse.loadRawFile({
        table: 'raw.rejected_events',
        path,
        compression: 'gzip',
        fileName: 'rejected/c.json.gz',
        loadedAt: LOADED_AT,
      }),
    ).rejects.toThrow(/^rejected\/c\.json\.gz: .*Malformed JSON/);
    expect(await warehouse.query('SELECT count(*) AS n FROM raw.rejected_events')).toEqual([{ n: 0 }]);
  });

  it('loads inside a transaction and rolls back with it', async () => {
    const path = await gzipFile([json(rejectedFixture())]);
    await expect(
      warehouse.transaction(async (tx) => {
        if (!canLoadRawFiles(tx)) throw new Error('a DuckDB transaction offers the file load');
        await tx.loadRawFile({
          table: 'raw.rejected_events',
          path,
          compression: 'gzip',
          fileName: 'rejected/d.json.gz',
          loadedAt: LOADED_AT,
        });
        throw new Error('recording the load failed');
      }),
    ).rejects.toThrow('recording the load failed');
    expect(await warehouse.query('SELECT count(*) AS n FROM raw.rejected_events')).toEqual([{ n: 0 }]);
  });
});
