/**
 * bench/e2e/raw-load: the raw loader alone, on the bucket files of a kept e2e run. Loads every
 * `events/` and `rejected/` file of the folder, one transaction per file as the bucket loader does,
 * into a fresh file-backed DuckDB, once through DuckDB's own file reader and once through the line
 * path, and prints rows per second (wall clock) and CPU microseconds per row (every thread of the
 * process; steadier than the wall clock on a shared machine) for each.
 *
 *   npx tsx bench/e2e/run.ts --rate 3000 --seconds 10 --keep     # prints its state folder
 *   npx tsx bench/e2e/raw-load.ts <state folder>/bucket [--threads 2] [--memory-limit 1GB]
 *                                 [--checkpoint-threshold 256MB] [--repeat 3] [--reader auto|lines|both]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createDuckDbWarehouse } from '#adapters/duckdb/duckdb-warehouse.ts';
import { listObjects, objectPath } from '#adapters/local/bucket-layout.ts';
import { loadRawFiles, type RawLoadOptions } from '#adapters/local/raw-loader.ts';
import { REPO_SQL_DIR } from '#adapters/node/repo-assets.ts';
import { loadSqlLibrary } from '#adapters/node/sql-files.ts';
import { applyWarehouseDdl } from '#core/warehouse/ddl.ts';

const duckdbSql = loadSqlLibrary('duckdb', REPO_SQL_DIR);

const { values: flags, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    threads: { type: 'string' },
    'memory-limit': { type: 'string' },
    'checkpoint-threshold': { type: 'string' },
    repeat: { type: 'string', default: '3' },
    reader: { type: 'string', default: 'both' },
  },
});
const bucket = positionals[0];
if (!bucket)
  throw new Error('usage: npx tsx bench/e2e/raw-load.ts <bucket folder> [--threads n] [--memory-limit 1GB]');

const files = [
  ...(await listObjects(bucket, 'events')).map((key) => ({ key, table: 'raw.events' as const })),
  ...(await listObjects(bucket, 'rejected')).map((key) => ({ key, table: 'raw.rejected_events' as const })),
];

const run = async (reader: NonNullable<RawLoadOptions['reader']>) => {
  const dir = await mkdtemp(join(tmpdir(), 'tally-bench-raw-load-'));
  const warehouse = await createDuckDbWarehouse({
    path: join(dir, 'warehouse.duckdb'),
    ...(flags.threads ? { threads: Number(flags.threads) } : {}),
    ...(flags['memory-limit'] ? { memoryLimit: flags['memory-limit'] } : {}),
    ...(flags['checkpoint-threshold'] ? { checkpointThreshold: flags['checkpoint-threshold'] } : {}),
  });
  await applyWarehouseDdl(warehouse, duckdbSql);
  const started = performance.now();
  const cpu = process.cpuUsage();
  let rows = 0;
  for (const { key, table } of files) {
    const loaded = await loadRawFiles(
      warehouse,
      (_tx, load) => load({ table, path: objectPath(bucket, key), fileName: key, loadedAt: new Date() }),
      { library: duckdbSql, reader },
    );
    rows += loaded.rows + loaded.unloadable;
  }
  const seconds = (performance.now() - started) / 1000;
  const { user, system } = process.cpuUsage(cpu);
  await warehouse.close();
  await rm(dir, { recursive: true, force: true });
  return {
    reader,
    files: files.length,
    rows,
    seconds: Number(seconds.toFixed(2)),
    rowsPerSecond: Math.round(rows / seconds),
    // every thread of this process (JavaScript and DuckDB's): steadier than the wall clock on a busy machine
    cpuMicrosPerRow: Math.round((user + system) / rows),
  };
};

for (let i = 0; i < Number(flags.repeat); i += 1) {
  for (const reader of ['auto', 'lines'] as const) {
    if (flags.reader === 'both' || flags.reader === reader) console.log(JSON.stringify(await run(reader)));
  }
}
