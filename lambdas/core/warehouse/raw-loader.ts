import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { type Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { LoadFileError, WarehouseError } from './errors.ts';
import type { Warehouse } from './ports.ts';
import { canLoadRawFiles, type RawFileLoad, type RawTable } from './raw-file-loading.ts';
import { type PreparedLine, prepareEventLine, prepareRejectedLine } from './raw-lines.ts';
import { runStatement } from './sql-exec.ts';
import { defaultSqlLibrary, type SqlLibrary } from './sql-library.ts';
import type { RenderedStatement } from './template.ts';
import { toSqlTimestamp } from './time.ts';

/**
 * The raw loader: one NDJSON file (gzip or plain) of the events or rejected sink into raw.events or
 * raw.rejected_events, all or nothing. Every row records the file name, its line number (1-based,
 * blank lines skipped but counted) and `loadedAt`, the load's watermark time. A bad line fails the
 * whole file with a LoadFileError naming the line; nothing is half loaded.
 *
 * Two ways, same rows: a warehouse that reads files itself (DuckDB, see raw-file-loading.ts) gets the
 * file in one statement; any other gets the lines, read and checked here (raw-lines.ts) and inserted
 * in chunks (sql/loads/) in one transaction. When the file statement fails, the lines are checked
 * here to name the bad one.
 *
 * Loading the same file twice inserts its rows twice: raw keeps what was loaded, and the models count
 * each dedup_key once. ops.load_history (the local loader) decides which files to load.
 */

export interface RawLoadOptions {
  /** Lines per INSERT statement (line path). */
  readonly chunkSize?: number;
  /** SQL library for the warehouse's dialect (line path); the repository's `sql/` by default. */
  readonly library?: SqlLibrary;
  /**
   * `'auto'`: the warehouse reads the file itself when it can, else the line path. `'lines'`: always
   * the line path. @default 'auto'
   */
  readonly reader?: 'auto' | 'lines';
}

const DEFAULT_CHUNK = 2000;

/** Loads an `events/` file of ValidatedLines into raw.events; returns the rows inserted. */
export const loadEventsFile = (
  warehouse: Warehouse,
  path: string,
  fileName: string,
  loadedAt: Date,
  options: RawLoadOptions = {},
): Promise<number> =>
  loadFile(
    warehouse,
    'raw.events',
    prepareEventLine,
    insertEventLines,
    { path, fileName, loadedAt },
    options,
  );

/** Loads a `rejected/` file of RejectedLines into raw.rejected_events; returns the rows inserted. */
export const loadRejectedFile = (
  warehouse: Warehouse,
  path: string,
  fileName: string,
  loadedAt: Date,
  options: RawLoadOptions = {},
): Promise<number> =>
  loadFile(
    warehouse,
    'raw.rejected_events',
    prepareRejectedLine,
    insertRejectedLines,
    { path, fileName, loadedAt },
    options,
  );

type InsertLines = typeof insertEventLines;
type Prepare = (text: string, row: number) => PreparedLine;

const loadFile = async (
  warehouse: Warehouse,
  table: RawTable,
  prepare: Prepare,
  insert: InsertLines,
  file: Pick<RawFileLoad, 'path' | 'fileName' | 'loadedAt'>,
  options: RawLoadOptions,
): Promise<number> => {
  const compression = await detectCompression(file.path);
  if ((options.reader ?? 'auto') === 'lines' || !canLoadRawFiles(warehouse)) {
    return insert(warehouse, readLines(file.path, compression), file.fileName, file.loadedAt, options);
  }
  // DuckDB reads a truncated gzip file without complaint, up to where it breaks off: the file is checked
  // whole here, inside the load's transaction (joined when the caller has one), before anything commits
  return warehouse.transaction(async (tx) => {
    if (!canLoadRawFiles(tx))
      throw new WarehouseError('the warehouse loads raw files, but not in a transaction');
    const [loaded, whole] = await Promise.allSettled([
      tx.loadRawFile({ ...file, table, compression }),
      compression === 'gzip' ? checkGzip(file.path) : Promise.resolve(),
    ]);
    if (loaded.status === 'rejected') {
      throw (await firstBadLine(readLines(file.path, compression), prepare, file.fileName)) ?? loaded.reason;
    }
    if (whole.status === 'rejected') throw whole.reason;
    return loaded.value;
  });
};

const CHECK_CHUNK = 1 << 20;

/** Inflates the whole file and drops the output: rejects (as the line path would) when the file is corrupt or cut short. */
const checkGzip = (path: string): Promise<void> =>
  pipeline(
    // large chunks: the output is dropped, so fewer, bigger callbacks cost a third of the CPU
    createReadStream(path, { highWaterMark: CHECK_CHUNK }),
    createGunzip({ chunkSize: CHECK_CHUNK }),
    new Writable({
      write: (_chunk, _encoding, done) => done(),
    }),
  );

/** The first line the line path would refuse, as the error it would throw; null when every line passes. */
const firstBadLine = async (
  lines: AsyncIterable<string>,
  prepare: Prepare,
  fileName: string,
): Promise<LoadFileError | null> => {
  let row = 0;
  for await (const text of lines) {
    row += 1;
    if (text.trim() === '') continue;
    const prepared = prepare(text, row);
    if (!prepared.ok) return new LoadFileError(fileName, row, prepared.reason);
  }
  return null;
};

/** Inserts ValidatedLine texts as the rows of one file (what loadEventsFile does after reading the file). */
export const insertEventLines = (
  warehouse: Warehouse,
  lines: Iterable<string> | AsyncIterable<string>,
  fileName: string,
  loadedAt: Date,
  options: RawLoadOptions = {},
): Promise<number> => {
  const library = options.library ?? defaultSqlLibrary(warehouse.dialect);
  return insertLines(
    warehouse,
    library.statement('loads/raw_events'),
    prepareEventLine,
    lines,
    fileName,
    loadedAt,
    options,
  );
};

/** Inserts RejectedLine texts as the rows of one file. */
export const insertRejectedLines = (
  warehouse: Warehouse,
  lines: Iterable<string> | AsyncIterable<string>,
  fileName: string,
  loadedAt: Date,
  options: RawLoadOptions = {},
): Promise<number> => {
  const library = options.library ?? defaultSqlLibrary(warehouse.dialect);
  return insertLines(
    warehouse,
    library.statement('loads/raw_rejected_events'),
    prepareRejectedLine,
    lines,
    fileName,
    loadedAt,
    options,
  );
};

const insertLines = (
  warehouse: Warehouse,
  statement: RenderedStatement,
  prepare: Prepare,
  lines: Iterable<string> | AsyncIterable<string>,
  fileName: string,
  loadedAt: Date,
  options: RawLoadOptions,
): Promise<number> =>
  warehouse.transaction(async (tx) => {
    const chunkSize = options.chunkSize ?? DEFAULT_CHUNK;
    const base = { file_name: fileName, loaded_at: toSqlTimestamp(loadedAt) };
    let chunk: Record<string, unknown>[] = [];
    let inserted = 0;
    let row = 0;
    const flush = async (): Promise<void> => {
      if (chunk.length === 0) return;
      await runStatement(tx, statement, { ...base, rows: JSON.stringify(chunk) });
      inserted += chunk.length;
      chunk = [];
    };
    for await (const text of lines) {
      row += 1;
      if (text.trim() === '') continue;
      const prepared = prepare(text, row);
      if (!prepared.ok) throw new LoadFileError(fileName, row, prepared.reason);
      chunk.push(prepared.record);
      if (chunk.length >= chunkSize) await flush();
    }
    await flush();
    return inserted;
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

/** Lines of a file; a byte order mark opening the file is not part of its first line (DuckDB drops it too). */
async function* readLines(path: string, compression: RawFileLoad['compression']): AsyncGenerator<string> {
  const file = createReadStream(path);
  const source: Readable = compression === 'gzip' ? file.pipe(createGunzip()) : file;
  file.on('error', (error) => source.destroy(error));
  let first = true;
  for await (const line of createInterface({ input: source, crlfDelay: Number.POSITIVE_INFINITY })) {
    yield first && line.startsWith('\uFEFF') ? line.slice(1) : line;
    first = false;
  }
}
