import { stat } from 'node:fs/promises';
import type { Warehouse } from '#core/warehouse/ports.ts';
import { loadEventsFile, loadRejectedFile } from '#core/warehouse/raw-loader.ts';
import { listObjects, objectPath } from './bucket-layout.ts';
import { ensureLoadHistory, isLoaded, lastLoadedAt, loadedFiles, recordLoad } from './load-history.ts';

export interface BucketLoaderOptions {
  readonly warehouse: Warehouse;
  /** Bucket folder the local Firehose writes to. */
  readonly root: string;
  /** How often the folder is scanned when nobody calls {@link BucketLoader.notify}. @default 1000 */
  readonly scanIntervalMs?: number;
  readonly now?: () => number;
  /** Told about each loaded file. */
  readonly onLoad?: (load: {
    readonly fileName: string;
    readonly rows: number;
    readonly loadedAt: Date;
  }) => void;
  /** Told when a file fails to load (it is retried on the next scan). */
  readonly onError?: (fileName: string, error: unknown) => void;
}

export interface BucketLoaderStats {
  readonly filesLoaded: number;
  readonly rowsLoaded: number;
  readonly lastLoadAt: Date | null;
  readonly lastError: string | null;
}

const PREFIXES = [
  { prefix: 'events', table: 'raw.events', load: loadEventsFile },
  { prefix: 'rejected', table: 'raw.rejected_events', load: loadRejectedFile },
] as const;

/**
 * The local stand-in for Snowpipe: loads every object of the bucket folder into raw.events or
 * raw.rejected_events exactly once. Each file is loaded and recorded in `ops.load_history` in
 * one transaction, so a crash mid-load leaves neither, and the file is simply loaded on the
 * next scan. Files are loaded one at a time, in key order, each stamped with a `loaded_at`
 * later than any before it: the models' `loaded_at` watermarks rely on loads committing in
 * `loaded_at` order.
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
    for (const { prefix, table, load } of PREFIXES) {
      for (const key of await listObjects(root, prefix)) {
        if (this.stopping) return;
        if (this.known.has(key)) continue;
        try {
          await this.loadOne(key, table, load);
          this.known.add(key);
        } catch (error) {
          this.stats_.lastError = `${key}: ${error instanceof Error ? error.message : String(error)}`;
          this.options.onError?.(key, error);
        }
      }
    }
  }

  private async loadOne(
    key: string,
    table: 'raw.events' | 'raw.rejected_events',
    load: typeof loadEventsFile,
  ): Promise<void> {
    const path = objectPath(this.options.root, key);
    const started = Date.now();
    const loadedAt = new Date(Math.max((this.options.now ?? Date.now)(), this.lastLoadedAt + 1));
    const fileBytes = (await stat(path)).size;
    const rows = await this.options.warehouse.transaction(async (tx) => {
      if (await isLoaded(tx, key)) return null;
      const inserted = await load(tx, path, key, loadedAt);
      await recordLoad(tx, {
        fileName: key,
        targetTable: table,
        rowsLoaded: inserted,
        fileBytes,
        loadedAt,
        durationMs: Date.now() - started,
      });
      return inserted;
    });
    if (rows === null) return;
    this.lastLoadedAt = loadedAt.getTime();
    this.stats_.filesLoaded += 1;
    this.stats_.rowsLoaded += rows;
    this.stats_.lastLoadAt = loadedAt;
    this.stats_.lastError = null;
    this.options.onLoad?.({ fileName: key, rows, loadedAt });
  }
}
