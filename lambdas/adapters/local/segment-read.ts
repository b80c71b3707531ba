import type { FileHandle } from 'node:fs/promises';
import { open } from 'node:fs/promises';
import { LogCorruptionError, LogStateError } from './errors.ts';
import { decodeFrame, FRAME_HEADER_BYTES, isFrameProblem } from './log-frame.ts';
import { readAt, type Segment } from './segment-files.ts';

/** One record read back from the log. Positions are global byte offsets, stable for the life of the log. */
export interface LogRecord {
  readonly position: number;
  /** Position of the record after this one (where a consumer resumes once this one is done). */
  readonly next: number;
  readonly partitionKey: string;
  readonly data: Buffer;
  /** Epoch milliseconds at which the log accepted the record. */
  readonly arrivedAt: number;
}

export interface ReadLimits {
  readonly maxRecords: number;
  readonly maxBytes: number;
}

export interface RecordsRead {
  readonly records: LogRecord[];
  /** Where the next read starts. */
  readonly next: number;
}

/**
 * Reads records out of a log's segment files, for the writer's own log and for a reader in another
 * thread alike, keeping one open handle per segment for the next read.
 */
export class SegmentReads {
  private readonly handles = new Map<number, FileHandle>();

  /** @param label names the log in errors (its folder) */
  constructor(private readonly label: string) {}

  /**
   * Whole records from `from` (a record boundary) up to `durableEnd`, within the limits, from the one
   * segment that holds `from` (the caller asks again from `next` for the rest).
   */
  async read(
    segments: readonly Segment[],
    durableEnd: number,
    from: number,
    limits: ReadLimits,
  ): Promise<RecordsRead> {
    const start = segments[0]?.base ?? 0;
    if (from < start || from > durableEnd) {
      throw new LogStateError(
        `Position ${from} is outside the stream log ${this.label} (${start}..${durableEnd})`,
      );
    }
    const index = segmentIndexFor(segments, from);
    const segment = segments[index]!;
    const segmentEnd = segments[index + 1]?.base ?? durableEnd;
    if (from === segmentEnd) return { records: [], next: from };
    return readSegmentRecords(await this.handleFor(segment), segment, segmentEnd, from, limits);
  }

  /** Closes the handle of a segment that is gone or no longer read. */
  async release(base: number): Promise<void> {
    await this.handles.get(base)?.close();
    this.handles.delete(base);
  }

  async releaseAll(): Promise<void> {
    for (const handle of this.handles.values()) await handle.close();
    this.handles.clear();
  }

  private async handleFor(segment: Segment): Promise<FileHandle> {
    let handle = this.handles.get(segment.base);
    if (!handle) {
      handle = await open(segment.path, 'r');
      this.handles.set(segment.base, handle);
    }
    return handle;
  }
}

/**
 * Reads whole records of one segment from `from` (a record boundary) up to `segmentEnd` (the
 * next segment's base, or the durable end for the active one), within the limits. A record
 * larger than `maxBytes` is still delivered, alone.
 */
const readSegmentRecords = async (
  handle: FileHandle,
  segment: Segment,
  segmentEnd: number,
  from: number,
  limits: ReadLimits,
): Promise<RecordsRead> => {
  if (from === segmentEnd) return { records: [], next: from };
  let length = Math.min(limits.maxBytes, segmentEnd - from);
  let chunk = await readAt(handle, from - segment.base, Math.max(length, FRAME_HEADER_BYTES));
  if (chunk.length < FRAME_HEADER_BYTES) {
    throw new LogCorruptionError(segment.path, from - segment.base, 'file ends before its recorded length');
  }
  const firstSize = FRAME_HEADER_BYTES + chunk.readUInt32LE(0);
  if (firstSize > length) {
    length = firstSize;
    chunk = await readAt(handle, from - segment.base, length);
  }
  const records: LogRecord[] = [];
  let offset = 0;
  while (offset < length && records.length < limits.maxRecords) {
    const frame = decodeFrame(chunk.subarray(0, length), offset);
    if (isFrameProblem(frame)) {
      if (frame.kind === 'incomplete') break;
      throw new LogCorruptionError(segment.path, from - segment.base + offset, frame.detail);
    }
    const position = from + offset;
    records.push({
      position,
      next: position + frame.size,
      partitionKey: frame.partitionKey,
      data: frame.data,
      arrivedAt: frame.arrivedAt,
    });
    offset += frame.size;
  }
  if (records.length === 0) {
    // everything below the durable end is whole frames, so an empty read here means damage
    throw new LogCorruptionError(segment.path, from - segment.base, 'frame overruns its segment');
  }
  return { records, next: from + offset };
};

/** Index of the segment holding `position` (segments sorted by base). */
const segmentIndexFor = (segments: readonly Segment[], position: number): number => {
  for (let i = segments.length - 1; i >= 0; i -= 1) if (segments[i]!.base <= position) return i;
  return 0;
};
