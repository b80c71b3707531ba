import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { RawFileRefusedError, WarehouseConflictError, WarehouseError } from '#core/warehouse/errors.ts';
import type { Warehouse } from '#core/warehouse/ports.ts';
import { canLoadRawFiles, type RawFileLoad, type RawTable } from '#core/warehouse/raw-file-loading.ts';
import {
  type PreparedLine,
  prepareEventLine,
  prepareRejectedLine,
  unloadableRow,
} from '#core/warehouse/raw-lines.ts';
import { runStatement } from '#core/warehouse/sql-exec.ts';
import type { SqlLibrary } from '#core/warehouse/sql-library.ts';
import { toSqlTimestamp } from '#core/warehouse/time.ts';
import { type FileLine, readFileLines } from './raw-file-lines.ts';

/**
 * The raw loader: NDJSON files (gzip or plain) of the events or rejected sink into raw.events or
 * raw.rejected_events. Every row records the file name, its line number (1-based, blank lines skipped
 * but counted) and `loadedAt`, the load's watermark time.
 *
 * A bad line never takes its neighbours with it: every good line of a file is loaded, and each line
 * that cannot be (not JSON, a check it fails, a lone surrogate, bytes that are not UTF-8, too long, where
 * a cut-short gzip stream stops) becomes an UNLOADABLE_LINE row of raw.rejected_events naming the
 * problem, with the file and line as its `file_name` / `file_row` (raw-lines.ts). A file is therefore
 * always loadable; only a failure of the warehouse or of reading the file fails it.
 *
 * Two ways, same rows: a warehouse that reads files itself (DuckDB, see raw-file-loading.ts) gets a file
 * in one statement, which refuses the whole file when any line is bad; the file is then loaded again
 * by lines, in a new transaction (`loadRawFiles`). Any other warehouse gets the lines, read and checked
 * here and inserted in chunks (sql/loads/). Good files stay on the one-statement path.
 *
 * Loading the same file twice inserts its rows twice: raw keeps what was loaded, and the models count
 * each dedup_key once. ops.load_history (the local loader) decides which files to load.
 */

export interface RawLoadOptions {
  /** Lines per INSERT statement (line path). */
  readonly chunkSize?: number;
  /** SQL library for the warehouse's dialect (line path). */
  readonly library: SqlLibrary;
  /**
   * `'auto'`: the warehouse reads each file itself when it can (by lines when it refuses one), else the
   * line path. `'lines'`: always the line path. @default 'auto'
   */
  readonly reader?: 'auto' | 'lines';
}

/** What loading one file stored. */
export interface RawFileLoaded {
  /** Lines stored in the file's own table (raw.events for `events/`, raw.rejected_events for `rejected/`). */
  readonly rows: number;
  /** Lines that could not be loaded, stored in raw.rejected_events as UNLOADABLE_LINE rows. */
  readonly unloadable: number;
}

/** One file to load. */
export type RawFile = Pick<RawFileLoad, 'table' | 'path' | 'fileName' | 'loadedAt'>;

/** Loads one file inside the transaction of {@link loadRawFiles}. */
export type LoadRawFile = (file: RawFile) => Promise<RawFileLoaded>;

const DEFAULT_CHUNK = 2000;

/**
 * Runs `work` in one transaction, in which `load(file)` loads raw files (and `work` may write anything
 * else that must commit with them, such as a load history). When the warehouse's reader refuses a file,
 * the transaction is rolled back and `work` runs again, that file now read by lines (at most once more
 * per file). `work` must let {@link RawFileRefusedError} through.
 */
export const loadRawFiles = async <T>(
  warehouse: Warehouse,
  work: (tx: Warehouse, load: LoadRawFile) => Promise<T>,
  options: RawLoadOptions,
): Promise<T> => {
  const byLines = new Set<string>();
  for (;;) {
    try {
      return await warehouse.transaction((tx) =>
        work(tx, (file) =>
          loadFile(tx, file, byLines.has(file.fileName) ? 'lines' : options.reader, options),
        ),
      );
    } catch (error) {
      if (!(error instanceof RawFileRefusedError) || byLines.has(error.fileName)) throw error;
      byLines.add(error.fileName);
    }
  }
};

/** Loads an `events/` file of ValidatedLines into raw.events, in a transaction of its own. */
export const loadEventsFile = (
  warehouse: Warehouse,
  path: string,
  fileName: string,
  loadedAt: Date,
  options: RawLoadOptions,
): Promise<RawFileLoaded> =>
  loadRawFiles(warehouse, (_tx, load) => load({ table: 'raw.events', path, fileName, loadedAt }), options);

/** Loads a `rejected/` file of RejectedLines into raw.rejected_events, in a transaction of its own. */
export const loadRejectedFile = (
  warehouse: Warehouse,
  path: string,
  fileName: string,
  loadedAt: Date,
  options: RawLoadOptions,
): Promise<RawFileLoaded> =>
  loadRawFiles(
    warehouse,
    (_tx, load) => load({ table: 'raw.rejected_events', path, fileName, loadedAt }),
    options,
  );

const loadFile = async (
  tx: Warehouse,
  file: RawFile,
  reader: RawLoadOptions['reader'],
  options: RawLoadOptions,
): Promise<RawFileLoaded> => {
  const compression = await detectCompression(file.path);
  if ((reader ?? 'auto') === 'lines' || !canLoadRawFiles(tx)) {
    return insertLines(
      tx,
      file.table,
      readFileLines(file.path, compression),
      file.fileName,
      file.loadedAt,
      options,
    );
  }
  // DuckDB reads a truncated gzip file without complaint, up to where it breaks off: the file is checked
  // whole here, alongside the statement and before anything commits
  const [loaded, whole] = await Promise.allSettled([
    tx.loadRawFile({ ...file, compression }),
    compression === 'gzip' ? checkGzip(file.path) : Promise.resolve(),
  ]);
  if (loaded.status === 'rejected') {
    // a conflict is another writer's doing (retried as such); anything else, the line path settles
    if (loaded.reason instanceof WarehouseConflictError || !(loaded.reason instanceof WarehouseError))
      throw loaded.reason;
    throw new RawFileRefusedError(file.fileName, { cause: loaded.reason });
  }
  if (whole.status === 'rejected') throw new RawFileRefusedError(file.fileName, { cause: whole.reason });
  return { rows: loaded.value, unloadable: 0 };
};

const CHECK_CHUNK = 1 << 20;

/** Inflates the whole file and drops the output: rejects when the file is corrupt or cut short. */
const checkGzip = (path: string): Promise<void> =>
  pipeline(
    // large chunks: the output is dropped, so fewer, bigger callbacks cost a third of the CPU
    createReadStream(path, { highWaterMark: CHECK_CHUNK }),
    createGunzip({ chunkSize: CHECK_CHUNK }),
    new Writable({
      write: (_chunk, _encoding, done) => done(),
    }),
  );

/** Inserts ValidatedLine texts as the rows of one file (what loadEventsFile does after reading the file). */
export const insertEventLines = (
  warehouse: Warehouse,
  lines: Iterable<string> | AsyncIterable<string>,
  fileName: string,
  loadedAt: Date,
  options: RawLoadOptions,
): Promise<RawFileLoaded> =>
  insertLines(warehouse, 'raw.events', numbered(lines), fileName, loadedAt, options);

/** Inserts RejectedLine texts as the rows of one file. */
export const insertRejectedLines = (
  warehouse: Warehouse,
  lines: Iterable<string> | AsyncIterable<string>,
  fileName: string,
  loadedAt: Date,
  options: RawLoadOptions,
): Promise<RawFileLoaded> =>
  insertLines(warehouse, 'raw.rejected_events', numbered(lines), fileName, loadedAt, options);

async function* numbered(lines: Iterable<string> | AsyncIterable<string>): AsyncGenerator<FileLine> {
  let row = 0;
  for await (const text of lines) {
    row += 1;
    yield { row, text, problem: null };
  }
}

const PREPARE: Record<RawTable, (text: string, row: number) => PreparedLine> = {
  'raw.events': prepareEventLine,
  'raw.rejected_events': prepareRejectedLine,
};

/**
 * The line path: each line checked, good ones into the file's table and the others, as UNLOADABLE_LINE
 * rows, into raw.rejected_events; in chunks, in one transaction.
 */
const insertLines = (
  warehouse: Warehouse,
  table: RawTable,
  lines: AsyncIterable<FileLine>,
  fileName: string,
  loadedAt: Date,
  options: RawLoadOptions,
): Promise<RawFileLoaded> =>
  warehouse.transaction(async (tx) => {
    const { library } = options;
    const chunkSize = options.chunkSize ?? DEFAULT_CHUNK;
    const base = { file_name: fileName, loaded_at: toSqlTimestamp(loadedAt) };
    const into = (path: string) => {
      const statement = library.statement(path);
      const chunk = { rows: [] as Record<string, unknown>[], inserted: 0 };
      const flush = async (): Promise<void> => {
        if (chunk.rows.length === 0) return;
        await runStatement(tx, statement, { ...base, rows: JSON.stringify(chunk.rows) });
        chunk.inserted += chunk.rows.length;
        chunk.rows = [];
      };
      const add = async (record: Record<string, unknown>): Promise<void> => {
        chunk.rows.push(record);
        if (chunk.rows.length >= chunkSize) await flush();
      };
      return { add, flush, inserted: () => chunk.inserted };
    };
    const own = into(table === 'raw.events' ? 'loads/raw_events' : 'loads/raw_rejected_events');
    const unloadable = into('loads/raw_rejected_events');
    const prepare = PREPARE[table];
    for await (const line of lines) {
      if (line.problem === null && line.text.trim() === '') continue;
      const prepared: PreparedLine =
        line.problem === null ? prepare(line.text, line.row) : { ok: false, reason: line.problem };
      if (prepared.ok) await own.add(prepared.record);
      else await unloadable.add(unloadableRow(line.text, line.row, prepared.reason, base.loaded_at));
    }
    await own.flush();
    await unloadable.flush();
    return { rows: own.inserted(), unloadable: unloadable.inserted() };
  });

/** `gzip` when the file starts with the gzip magic bytes, whatever its name. */
const detectCompression = async (path: string): Promise<RawFileLoad['compression']> => {
  const handle = await open(path, 'r');
  const magic = Buffer.alloc(2);
  try {
    await handle.read(magic, 0, 2, 0);
  } finally {
    await handle.close();
  }
  return magic[0] === 0x1f && magic[1] === 0x8b ? 'gzip' : 'none';
};
