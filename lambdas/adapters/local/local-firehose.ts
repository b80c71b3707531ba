import { promisify } from 'node:util';
import { constants, gzip } from 'node:zlib';
import type { RawPrefixName } from '#core/contract/bucket-layout.ts';
import type { LineSink, SinkWriteResult } from '#core/validator/ports.ts';
import { writeFileAtomic } from './atomic-file.ts';
import { objectKey, objectPath } from './bucket-layout.ts';
import { SinkFlushError } from './errors.ts';

const gzipAsync = promisify(gzip);

export interface LocalFirehoseOptions {
  /** Bucket folder (e.g. `.tally/bucket`). */
  readonly root: string;
  /** Key prefix: `events` or `rejected`. */
  readonly prefix: RawPrefixName;
  /** Delivery stream name, first part of every file name. */
  readonly deliveryStream: string;
  /** Flush once this many bytes of lines are buffered. @default 4 MiB */
  readonly bufferBytes?: number;
  /** Flush lines that have waited this long. @default 2000 */
  readonly bufferIntervalMs?: number;
  /** Refuse lines (reported as failed, so the stream redelivers them) above this much unflushed data. @default 8 x bufferBytes */
  readonly maxPendingBytes?: number;
  /** Told about every file once it is durable (lets a loader pick it up at once). */
  readonly onFile?: (file: DeliveredFile) => void;
  readonly now?: () => number;
}

/** One object the local Firehose delivered. */
export interface DeliveredFile {
  readonly key: string;
  readonly path: string;
  readonly lines: number;
  readonly bytes: number;
}

export interface LocalFirehoseStats {
  readonly linesDelivered: number;
  readonly filesDelivered: number;
  readonly linesBuffered: number;
  readonly lastError: string | null;
}

/**
 * The local stand-in for a Firehose delivery stream into S3: buffers NDJSON lines by size
 * and by time, and delivers each buffer as one gzip file in the bucket folder (temporary
 * file, fsync, atomic rename, so a reader never sees half a file).
 *
 * Unlike Firehose, `write` does not make lines durable: they sit in memory until the next
 * flush. Exactly-once therefore rests on the stream consumer calling {@link flush} before it
 * moves its checkpoint: a crash loses only lines of records the checkpoint has not passed,
 * which the stream delivers again (and the warehouse dedups).
 */
export class LocalFirehose implements LineSink {
  private buffer: string[] = [];
  private bufferedBytes = 0;
  private oldestAt = 0;
  private inFlightBytes = 0;
  private chain: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private delivered = { lines: 0, files: 0 };
  private lastError: string | null = null;
  private readonly bufferBytes: number;
  private readonly bufferIntervalMs: number;
  private readonly maxPendingBytes: number;
  private readonly now: () => number;

  constructor(private readonly options: LocalFirehoseOptions) {
    this.bufferBytes = options.bufferBytes ?? 4 * 1024 * 1024;
    this.bufferIntervalMs = options.bufferIntervalMs ?? 2000;
    this.maxPendingBytes = options.maxPendingBytes ?? 8 * this.bufferBytes;
    this.now = options.now ?? Date.now;
  }

  async write(lines: readonly string[]): Promise<SinkWriteResult> {
    if (lines.length === 0) return { failed: [] };
    if (this.bufferedBytes + this.inFlightBytes > this.maxPendingBytes) {
      return { failed: lines.map((_, i) => i) };
    }
    if (this.buffer.length === 0) this.oldestAt = this.now();
    for (const line of lines) {
      this.buffer.push(line);
      this.bufferedBytes += line.length + 1;
    }
    if (this.bufferedBytes >= this.bufferBytes) {
      // a size-triggered flush runs in the background: a failure leaves the lines buffered for the next one
      this.flush().catch(() => undefined);
    }
    return { failed: [] };
  }

  /** Delivers everything buffered so far; resolves once it is durable in the bucket folder. */
  flush(): Promise<void> {
    const run = this.chain.then(() => this.deliver());
    this.chain = run.catch(() => undefined);
    return run;
  }

  /** Flushes by time in the background until {@link stop}. */
  start(): void {
    if (this.timer) return;
    const tick = Math.max(50, Math.min(1000, this.bufferIntervalMs / 4));
    this.timer = setInterval(() => {
      if (this.buffer.length > 0 && this.now() - this.oldestAt >= this.bufferIntervalMs) {
        this.flush().catch(() => undefined);
      }
    }, tick);
    this.timer.unref();
  }

  /** Stops the timer and delivers what is left. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.flush();
  }

  get stats(): LocalFirehoseStats {
    return {
      linesDelivered: this.delivered.lines,
      filesDelivered: this.delivered.files,
      linesBuffered: this.buffer.length,
      lastError: this.lastError,
    };
  }

  private async deliver(): Promise<void> {
    if (this.buffer.length === 0) return;
    const lines = this.buffer;
    const bytes = this.bufferedBytes;
    const oldestAt = this.oldestAt;
    const key = objectKey(this.options.prefix, this.options.deliveryStream, new Date(this.oldestAt));
    this.buffer = [];
    this.bufferedBytes = 0;
    this.inFlightBytes += bytes;
    const path = objectPath(this.options.root, key);
    try {
      // fastest level: ~2x less CPU than the default for ~25% larger files (docs/BENCHMARKS.md, End to end)
      const body = await gzipAsync(`${lines.join('\n')}\n`, { level: constants.Z_BEST_SPEED });
      await writeFileAtomic(path, body);
    } catch (error) {
      // put the lines back in front, in order, so the next flush retries them
      this.buffer = lines.concat(this.buffer);
      this.bufferedBytes += bytes;
      this.oldestAt = oldestAt;
      this.lastError = error instanceof Error ? error.message : String(error);
      throw new SinkFlushError(key, error);
    } finally {
      this.inFlightBytes -= bytes;
    }
    this.delivered.lines += lines.length;
    this.delivered.files += 1;
    this.lastError = null;
    this.options.onFile?.({ key, path, lines: lines.length, bytes });
  }
}
