import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { loadEventsFile, loadRejectedFile } from '#adapters/local/raw-loader.ts';
import type { LineSink } from '#core/validator/ports.ts';
import { processKinesisBatch } from '#core/validator/process-batch.ts';
import { toStreamedRecord } from '#core/validator/streamed-record.ts';
import type { RecordValidator } from '#core/validator/validate-record.ts';
import type { Warehouse } from '#core/warehouse/ports.ts';
import { duckdbSql } from '#test/support/sql-library.ts';
import { freshWarehouse } from './warehouse-db.ts';

/** What the validator wrote for some records: the events sink's lines and the rejected sink's. */
export interface EmittedLines {
  readonly events: readonly string[];
  readonly rejected: readonly string[];
}

const memorySink = (lines: string[]): LineSink => ({
  write: async (batch) => {
    lines.push(...batch);
    return { failed: [] };
  },
});

/**
 * Runs record bytes through the validator as a stream consumer does (UTF-8 decoding, undecodable
 * records kept in base64, one batch) and returns the lines it emitted.
 */
export const validateRecords = async (
  validate: RecordValidator,
  records: readonly Uint8Array[],
  arrivedAt = '2026-03-02T09:00:05.000Z',
): Promise<EmittedLines> => {
  const events: string[] = [];
  const rejected: string[] = [];
  const result = await processKinesisBatch(
    records.map((bytes, i) => toStreamedRecord(String(i), bytes, arrivedAt)),
    { validate, events: memorySink(events), rejected: memorySink(rejected) },
  );
  if (result.batchItemFailures.length > 0) throw new Error('the validator failed on a record');
  return { events, rejected };
};

const LOADED_AT = new Date('2026-03-02T09:10:00.000Z');
const READERS = ['auto', 'lines'] as const;

/**
 * Two in-memory DuckDB warehouses with the pipeline's tables, one loaded by DuckDB's own file
 * reader (`reader: 'auto'`), one by the loader's line reader (`reader: 'lines'`), and a temp folder
 * for the files.
 */
export class BothLoadPaths {
  private constructor(
    readonly folder: string,
    readonly warehouses: Readonly<Record<(typeof READERS)[number], Warehouse>>,
  ) {}

  static async open(): Promise<BothLoadPaths> {
    const folder = await mkdtemp(join(tmpdir(), 'tally-lines-'));
    return new BothLoadPaths(folder, { auto: await freshWarehouse(), lines: await freshWarehouse() });
  }

  /**
   * Writes the lines as one gzip file per sink, named after `name`, and loads each file through both
   * paths (rows of one file carry its name). Throws when any load fails.
   */
  async load(name: string, lines: EmittedLines): Promise<void> {
    for (const [sink, table] of [
      ['events', 'raw.events'],
      ['rejected', 'raw.rejected_events'],
    ] as const) {
      if (lines[sink].length === 0) continue;
      const fileName = `${sink}/${name}.json.gz`;
      const path = join(this.folder, `${sink}-${name}.json.gz`);
      await writeFile(path, gzipSync(`${lines[sink].join('\n')}\n`));
      const load = table === 'raw.events' ? loadEventsFile : loadRejectedFile;
      for (const reader of READERS) {
        await load(this.warehouses[reader], path, fileName, LOADED_AT, { library: duckdbSql, reader });
      }
    }
  }

  /** Rows each path stored from the file `name` of `sink`, as [auto, lines] counts. */
  async rowCounts(sink: keyof EmittedLines, name: string): Promise<[number, number]> {
    const table = sink === 'events' ? 'raw.events' : 'raw.rejected_events';
    return this.#counts(`SELECT COUNT(*) AS n FROM ${table} WHERE file_name = '${sink}/${name}.json.gz'`);
  }

  /** raw.events rows each path stored as unplanned (`planned = false`) from the events file `name`, as [auto, lines]. */
  async unplannedCounts(name: string): Promise<[number, number]> {
    return this.#counts(
      `SELECT COUNT(*) AS n FROM raw.events WHERE file_name = 'events/${name}.json.gz' AND NOT planned`,
    );
  }

  async #counts(sql: string): Promise<[number, number]> {
    const count = async (warehouse: Warehouse) => {
      const [row] = await warehouse.query<{ n: bigint | number }>(sql);
      return Number(row?.n ?? 0);
    };
    return [await count(this.warehouses.auto), await count(this.warehouses.lines)];
  }

  async close(): Promise<void> {
    await this.warehouses.auto.close();
    await this.warehouses.lines.close();
    await rm(this.folder, { recursive: true, force: true });
  }
}
