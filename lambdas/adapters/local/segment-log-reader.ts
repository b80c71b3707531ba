import { join } from 'node:path';
import { LogStateError } from './errors.ts';
import type { ReadableLog } from './log-consumer.ts';
import { PositionWatch } from './position-watch.ts';
import { listSegments, type Segment, segmentName } from './segment-files.ts';
import { type ReadLimits, type RecordsRead, SegmentReads } from './segment-read.ts';

export interface SegmentLogReaderOptions {
  /** The writer's durable end when the reader opens. */
  readonly durableEnd: number;
  /**
   * Told when the consumer is done with every record before a position: the writer, which owns
   * the files, deletes the segments that end there. The reader never deletes a file itself.
   */
  readonly onConsumed?: (position: number) => void;
}

/**
 * A read-only view of a {@link SegmentLog} written by another thread. The writer tells it how
 * far the log is durable and where its segments start ({@link follow}); the reader never looks
 * past that, so it never sees a record the writer has not fsynced, and a consumer on it works
 * exactly as on the writer's log (same frames, same positions, same checkpoints).
 */
export class SegmentLogReader implements ReadableLog {
  private readonly durable: PositionWatch;
  private readonly reads: SegmentReads;
  private closed = false;

  private constructor(
    readonly dir: string,
    private readonly segments: Segment[],
    private readonly options: SegmentLogReaderOptions,
  ) {
    this.durable = new PositionWatch(options.durableEnd);
    this.reads = new SegmentReads(dir);
  }

  /** Opens the log in `dir`, which its writer has already opened (and so recovered). */
  static async open(dir: string, options: SegmentLogReaderOptions): Promise<SegmentLogReader> {
    const segments = await listSegments(dir);
    if (segments.length === 0) {
      throw new LogStateError(`Stream log ${dir} has no segment file: its writer must open it first`);
    }
    return new SegmentLogReader(dir, segments, options);
  }

  get startPosition(): number {
    return this.segments[0]!.base;
  }

  get durableEnd(): number {
    return this.durable.position;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** The writer made the log durable up to `end`, in segments starting at `segmentBases`. */
  follow(end: number, segmentBases: readonly number[]): void {
    const last = this.segments[this.segments.length - 1]!.base;
    for (const base of segmentBases) {
      if (base > last) this.segments.push({ base, path: join(this.dir, segmentName(base)) });
    }
    this.durable.advance(end);
  }

  async read(from: number, limits: ReadLimits): Promise<RecordsRead> {
    if (this.closed) throw new LogStateError(`Stream log reader on ${this.dir} is closed`);
    return this.reads.read(this.segments, this.durable.position, from, limits);
  }

  waitForData(position: number, signal?: AbortSignal): Promise<void> {
    return this.durable.waitPast(position, signal);
  }

  /** Forgets (and closes) the segments that end at or before `position`, then tells the writer. */
  async deleteBefore(position: number): Promise<number> {
    let forgotten = 0;
    while (this.segments.length > 1 && this.segments[1]!.base <= position) {
      const segment = this.segments.shift()!;
      await this.reads.release(segment.base);
      forgotten += 1;
    }
    if (forgotten > 0) this.options.onConsumed?.(position);
    return forgotten;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.durable.close();
    await this.reads.releaseAll();
  }
}
