import { stat } from 'node:fs/promises';
import { loadRawFiles } from '#adapters/local/raw-loader.ts';
import type { Warehouse } from '#core/warehouse/ports.ts';
import type { SqlLibrary } from '#core/warehouse/sql-library.ts';
import { listObjects, objectPath } from './bucket-layout.ts';
import { ensureLoadHistory, isLoaded, lastLoadedAt, loadedFiles, recordLoad } from './load-history.ts';

export interface BucketLoaderOptions {
  readonly warehouse: Warehouse;
  /** The SQL library of the warehouse's dialect (a file read line by line is inserted with it). */
  readonly library: SqlLibrary;
  /** Bucket folder the local Firehose writes to. */
  readonly root: string;
  /** How often the folder is scanned when nobody calls {@link BucketLoader.notify}. @default 1000 */
  readonly scanIntervalMs?: number;
  readonly now?: () => number;
  /** Told about each loaded file. */
  readonly onLoad?: (load: {
    readonly fileName: string;
    /** Lines stored in the file's own table. */
    readonly rows: number;
    /** Lines that could not be loaded, stored in raw.rejected_events as UNLOADABLE_LINE. */
    readonly unloadable: number;
    readonly loadedAt: Date;
  }) => void;
  /**
   * Told when a file fails to load (it is retried on the next scan). Bad lines never fail a file (they
   * become UNLOADABLE_LINE rows); this is the warehouse or the file system failing.
   */
  readonly onError?: (fileName: string, error: unknown) => void;
  /**
   * Most files loaded in one transaction when several are waiting. A commit (and the write-ahead
   * log sync behind it) per file is what a loader that fell behind can least afford. @default 8
   */
  readonly maxFilesPerCommit?: number;
}

export interface BucketLoaderStats {
  readonly filesLoaded: number;
  /** Lines stored, in their own table or (unloadable ones) in raw.rejected_events: every line landed. */
  readonly rowsLoaded: number;
  /** Of which lines that could not be loaded (UNLOADABLE_LINE rows). */
  readonly unloadableLines: number;
  readonly lastLoadAt: Date | null;
  readonly lastError: string | null;
}

const PREFIXES = [
  { prefix: 'events', table: 'raw.events' },
  { prefix: 'rejected', table: 'raw.rejected_events' },
] as const;

type RawTable = (typeof PREFIXES)[number]['table'];

/** One file loaded inside a group's transaction. */
interface Loaded {
  readonly key: string;
  readonly rows: number;
  readonly unloadable: number;
  readonly loadedAt: Date;
  readonly started: number;
  readonly fileBytes: number;
}

/**
 * The local stand-in for Snowpipe: loads every object of the bucket folder into raw.events or
 * raw.rejected_events exactly once. A file is loaded and recorded in `ops.load_history` in the
 * same transaction, so a crash mid-load leaves neither, and the file is simply loaded on the
 * next scan. A bad line never holds a file back: it is stored as an UNLOADABLE_LINE row of
 * raw.rejected_events and the file's other lines load (raw-loader.ts). Files are loaded in key
 * order, each stamped with a `loaded_at` later than any before it: the models' `loaded_at`
 * watermarks rely on loads committing in `loaded_at` order. When several files wait, up to
 * `maxFilesPerCommit` share one transaction; if that fails (not for a bad line: for DuckDB or the
 * file system), they are loaded one by one, so one file that cannot be read holds back no other and
 * the error names it.
 */
export class BucketLoader {
  private known: Set<string> | null = null;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | null = null;
  private again = false;
  private lastLoadedAt = 0;
  private stopping = false;
  private stats_ = {
    filesLoaded: 0,
    rowsLoaded: 0,
    unloadableLines: 0,
    lastLoadAt: null as Date | null,
    lastError: null as string | null,
  };

  constructor(private readonly options: BucketLoaderOptions) {}

  /** Creates the load history when missing and starts scanning in the background. */
  async start(): Promise<void> {
    await ensureLoadHistory(this.options.warehouse);
    this.timer = setInterval(() => this.notify(), this.options.scanIntervalMs ?? 1000);
    this.timer.unref();
    this.notify();
  }

  /** Asks for a scan soon (a new file was delivered). */
  notify(): void {
    if (this.stopping) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.scanLoop().finally(() => {
      this.running = null;
    });
  }

  /** Loads every file present now (and any that arrive meanwhile); resolves with the number loaded. */
  async loadPending(): Promise<number> {
    const before = this.stats_.filesLoaded;
    this.notify();
    while (this.running) await this.running;
    return this.stats_.filesLoaded - before;
  }

  /** Stops scanning and waits for the file being loaded; files not loaded yet wait for the next start. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  get stats(): BucketLoaderStats {
    return { ...this.stats_ };
  }

  private async scanLoop(): Promise<void> {
    do {
      this.again = false;
      await this.scan();
    } while (this.again);
  }

  private async scan(): Promise<void> {
    const { warehouse, root } = this.options;
    if (this.known === null) {
      this.known = await loadedFiles(warehouse);
      this.lastLoadedAt = await lastLoadedAt(warehouse);
    }
    const known = this.known;
    const perCommit = this.options.maxFilesPerCommit ?? 8;
    for (const { prefix, table } of PREFIXES) {
      const pending = (await listObjects(root, prefix)).filter((key) => !known.has(key));
      for (let i = 0; i < pending.length; i += perCommit) {
        if (this.stopping) return;
        const group = pending.slice(i, i + perCommit);
        try {
          await this.loadGroup(group, table);
        } catch (error) {
          if (group.length === 1) this.failed(group[0]!, error);
          else for (const key of group) await this.loadGroup([key], table).catch((e) => this.failed(key, e));
        }
      }
    }
  }

  private failed(key: string, error: unknown): void {
    this.stats_.lastError = `${key}: ${error instanceof Error ? error.message : String(error)}`;
    this.options.onError?.(key, error);
  }

  /**
   * Loads `keys` in one transaction; on failure none of them is loaded. A file DuckDB's reader refuses
   * (a bad line) makes the transaction start over with that file read by lines (loadRawFiles).
   */
  private async loadGroup(keys: readonly string[], table: RawTable): Promise<void> {
    const now = this.options.now ?? Date.now;
    let previous = this.lastLoadedAt;
    const loaded = await loadRawFiles(
      this.options.warehouse,
      async (tx, load) => {
        const done: Loaded[] = [];
        for (const key of keys) {
          if (await isLoaded(tx, key)) continue;
          const path = objectPath(this.options.root, key);
          const started = Date.now();
          const loadedAt = new Date(Math.max(now(), previous + 1));
          previous = loadedAt.getTime();
          const fileBytes = (await stat(path)).size;
          const { rows, unloadable } = await load({ table, path, fileName: key, loadedAt });
          done.push({ key, rows, unloadable, loadedAt, started, fileBytes });
        }
        // written last, so each file's duration runs to when all its group's rows are in, just before the commit
        for (const file of done) {
          await recordLoad(tx, {
            fileName: file.key,
            targetTable: table,
            rowsLoaded: file.rows,
            linesUnloadable: file.unloadable,
            fileBytes: file.fileBytes,
            loadedAt: file.loadedAt,
            durationMs: Date.now() - file.started,
          });
        }
        return done;
      },
      { library: this.options.library },
    );
    for (const file of loaded) {
      this.lastLoadedAt = Math.max(this.lastLoadedAt, file.loadedAt.getTime());
      this.stats_.filesLoaded += 1;
      this.stats_.rowsLoaded += file.rows + file.unloadable;
      this.stats_.unloadableLines += file.unloadable;
      this.stats_.lastLoadAt = file.loadedAt;
      this.stats_.lastError = null;
      this.options.onLoad?.({
        fileName: file.key,
        rows: file.rows,
        unloadable: file.unloadable,
        loadedAt: file.loadedAt,
      });
    }
    // every key of the group is recorded now: by this transaction, or by someone else before it
    for (const key of keys) this.known?.add(key);
  }
}
