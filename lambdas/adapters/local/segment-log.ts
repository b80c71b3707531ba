import type { FileHandle } from 'node:fs/promises';
import { mkdir, open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { LogStateError, LogWriteError } from './errors.ts';
import { encodeFrames, type FrameInput } from './log-frame.ts';
import { PositionWatch } from './position-watch.ts';
import {
  checkContiguous,
  listSegments,
  recoverTail,
  type Segment,
  segmentName,
  writeFully,
} from './segment-files.ts';
import { type ReadLimits, type RecordsRead, SegmentReads } from './segment-read.ts';
import { syncDirectory } from './sync-directory.ts';

export interface LogEntry {
  readonly partitionKey: string;
  readonly data: Uint8Array;
}

export interface AppendResult {
  /** Position of the first appended record. */
  readonly first: number;
  /** Position just past the last appended record. */
  readonly end: number;
}

export interface SegmentLogOptions {
  /** A new segment file starts once the active one reaches this size. */
  readonly segmentBytes?: number;
  /** Clock for arrival times (tests pin it). */
  readonly now?: () => number;
}

interface PendingAppend {
  readonly buffer: Buffer;
  readonly resolve: (result: AppendResult) => void;
  readonly reject: (error: unknown) => void;
}

const DEFAULT_SEGMENT_BYTES = 32 * 1024 * 1024;

/**
 * An append-only, crash-safe record log split into segment files named after the global
 * position of their first byte (`00000000000000000000.log`, ...), like a Kafka partition.
 *
 * Appends are group-committed: every batch waiting while a write is in flight goes out in the
 * next single write followed by one `fdatasync`, and a batch's promise resolves only after
 * that sync, so a resolved append survives a crash or power loss. On open, the active
 * segment is scanned and anything after the last whole, checksum-valid frame (a torn
 * write, never acknowledged) is cut off.
 */
export class SegmentLog {
  private readonly segments: Segment[];
  private writer: FileHandle;
  private activeSize: number;
  private readonly durable: PositionWatch;
  private readonly reads: SegmentReads;
  private pending: PendingAppend[] = [];
  private writing = false;
  private closed = false;
  private broken: unknown = null;

  private constructor(
    readonly dir: string,
    segments: Segment[],
    writer: FileHandle,
    activeSize: number,
    private readonly segmentBytes: number,
    private readonly now: () => number,
  ) {
    this.segments = segments;
    this.writer = writer;
    this.activeSize = activeSize;
    this.durable = new PositionWatch(segments[segments.length - 1]!.base + activeSize);
    this.reads = new SegmentReads(dir);
  }

  /** Opens (creating if needed) the log in `dir`, recovering from a torn tail. */
  static async open(dir: string, options: SegmentLogOptions = {}): Promise<SegmentLog> {
    await mkdir(dir, { recursive: true });
    const segments = await listSegments(dir);
    if (segments.length === 0) {
      const first = { base: 0, path: join(dir, segmentName(0)) };
      await (await open(first.path, 'a')).close();
      await syncDirectory(dir);
      segments.push(first);
    }
    await checkContiguous(segments);
    const active = segments[segments.length - 1]!;
    const writer = await open(active.path, 'r+');
    const activeSize = await recoverTail(writer);
    return new SegmentLog(
      dir,
      segments,
      writer,
      activeSize,
      options.segmentBytes ?? DEFAULT_SEGMENT_BYTES,
      options.now ?? Date.now,
    );
  }

  /** Position of the oldest record still on disk. */
  get startPosition(): number {
    return this.segments[0]!.base;
  }

  /** Position just past the last durable record: everything before it survives a crash. */
  get durableEnd(): number {
    return this.durable.position;
  }

  /** Where each segment file starts, oldest first (a reader in another thread follows the log by them). */
  get segmentBases(): number[] {
    return this.segments.map((s) => s.base);
  }

  /** True once `close` was called. */
  get isClosed(): boolean {
    return this.closed;
  }

  /** Number of segment files on disk. */
  get segmentCount(): number {
    return this.segments.length;
  }

  /** Appends records and resolves once they are on disk (fsynced). Rejects with LogWriteError otherwise. */
  append(entries: readonly LogEntry[]): Promise<AppendResult> {
    if (this.closed) return Promise.reject(new LogStateError(`Stream log ${this.dir} is closed`));
    if (this.broken) return Promise.reject(new LogWriteError(this.dir, this.broken));
    const arrivedAt = this.now();
    const inputs: FrameInput[] = entries.map((e) => ({
      partitionKey: e.partitionKey,
      data: e.data,
      arrivedAt,
    }));
    const buffer = encodeFrames(inputs);
    return new Promise((resolve, reject) => {
      this.pending.push({ buffer, resolve, reject });
      if (!this.writing) void this.drain();
    });
  }

  /** Reads whole records from `from` (a record boundary) up to the durable end, within the limits. */
  async read(from: number, limits: ReadLimits): Promise<RecordsRead> {
    if (this.closed) throw new LogStateError(`Stream log ${this.dir} is closed`);
    return this.reads.read(this.segments, this.durable.position, from, limits);
  }

  /**
   * Resolves when the durable end moves past `position`, the log closes, or `signal` aborts
   * (immediately when it already is past).
   */
  waitForData(position: number, signal?: AbortSignal): Promise<void> {
    return this.durable.waitPast(position, signal);
  }

  /** Deletes segments that end at or before `position` (already consumed); the active segment always stays. */
  async deleteBefore(position: number): Promise<number> {
    let deleted = 0;
    while (this.segments.length > 1 && this.segments[1]!.base <= position) {
      const segment = this.segments.shift()!;
      await this.reads.release(segment.base);
      await rm(segment.path, { force: true });
      deleted += 1;
    }
    return deleted;
  }

  /** Waits for in-flight appends, then closes every file. */
  async close(): Promise<void> {
    if (this.closed) return;
    while (this.writing) await new Promise((resolve) => setImmediate(resolve));
    this.closed = true;
    this.durable.close();
    await this.writer.close();
    await this.reads.releaseAll();
  }

  private async drain(): Promise<void> {
    this.writing = true;
    try {
      while (this.pending.length > 0) {
        const batch = this.pending.splice(0);
        await this.commit(batch);
      }
    } finally {
      this.writing = false;
    }
  }

  private async commit(batch: PendingAppend[]): Promise<void> {
    const total = batch.reduce((sum, p) => sum + p.buffer.length, 0);
    try {
      if (this.activeSize > 0 && this.activeSize + total > this.segmentBytes) await this.roll();
      await writeFully(this.writer, Buffer.concat(batch.map((p) => p.buffer)), this.activeSize);
      await this.writer.datasync();
    } catch (error) {
      await this.abandonTail(error);
      for (const p of batch) p.reject(new LogWriteError(this.activePath, error));
      return;
    }
    let position = this.durable.position;
    this.activeSize += total;
    this.durable.advance(position + total);
    for (const p of batch) {
      p.resolve({ first: position, end: position + p.buffer.length });
      position += p.buffer.length;
    }
  }

  /** After a failed write, cut the file back so a half-written batch never becomes readable. */
  private async abandonTail(error: unknown): Promise<void> {
    try {
      await this.writer.truncate(this.activeSize);
    } catch {
      this.broken = error;
    }
  }

  private async roll(): Promise<void> {
    const base = this.durable.position;
    const segment = { base, path: join(this.dir, segmentName(base)) };
    const writer = await open(segment.path, 'wx+');
    await syncDirectory(this.dir);
    await this.writer.close();
    this.writer = writer;
    this.segments.push(segment);
    this.activeSize = 0;
  }

  private get activePath(): string {
    return this.segments[this.segments.length - 1]!.path;
  }
}
