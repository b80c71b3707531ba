import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { LoadFileError } from './errors.ts';
import type { Warehouse } from './ports.ts';
import { type PreparedLine, prepareEventLine, prepareRejectedLine } from './raw-lines.ts';
import { runStatement } from './sql-exec.ts';
import { defaultSqlLibrary, type SqlLibrary } from './sql-library.ts';
import type { RenderedStatement } from './template.ts';
import { toSqlTimestamp } from './time.ts';

/**
 * The raw loader: one NDJSON file (gzip or plain) of the events or rejected sink into raw.events or
 * raw.rejected_events, all or nothing, in one transaction. Every row records the file name, its line
 * number (1-based, blank lines skipped but counted) and `loadedAt`, the load's watermark time. A bad
 * line fails the whole file with a LoadFileError naming the line; nothing is half loaded.
 *
 * Loading the same file twice inserts its rows twice: raw keeps what was loaded, and the models count
 * each dedup_key once. ops.load_history (the local loader) decides which files to load.
 */

export interface RawLoadOptions {
  /** Lines per INSERT statement. */
  readonly chunkSize?: number;
  /** SQL library for the warehouse's dialect; the repository's `sql/` by default. */
  readonly library?: SqlLibrary;
}

const DEFAULT_CHUNK = 2000;

/** Loads an `events/` file of ValidatedLines into raw.events; returns the rows inserted. */
export const loadEventsFile = (
  warehouse: Warehouse,
  path: string,
  fileName: string,
  loadedAt: Date,
  options: RawLoadOptions = {},
): Promise<number> => insertEventLines(warehouse, readLines(path), fileName, loadedAt, options);

/** Loads a `rejected/` file of RejectedLines into raw.rejected_events; returns the rows inserted. */
export const loadRejectedFile = (
  warehouse: Warehouse,
  path: string,
  fileName: string,
  loadedAt: Date,
  options: RawLoadOptions = {},
): Promise<number> => insertRejectedLines(warehouse, readLines(path), fileName, loadedAt, options);

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
  prepare: (text: string, row: number) => PreparedLine,
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

/** Lines of a file, gunzipped when it starts with the gzip magic bytes. */
async function* readLines(path: string): AsyncGenerator<string> {
  const handle = await open(path, 'r');
  const magic = Buffer.alloc(2);
  try {
    await handle.read(magic, 0, 2, 0);
  } finally {
    await handle.close();
  }
  const file = createReadStream(path);
  const source: Readable = magic[0] === 0x1f && magic[1] === 0x8b ? file.pipe(createGunzip()) : file;
  file.on('error', (error) => source.destroy(error));
  yield* createInterface({ input: source, crlfDelay: Number.POSITIVE_INFINITY });
}
