import type { FileHandle } from 'node:fs/promises';
import { open, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { LogCorruptionError } from './errors.ts';
import { decodeFrame, isFrameProblem } from './log-frame.ts';

/**
 * The files of a segment log: naming, listing, the crash checks done on open, and positioned
 * reads and writes that never stop short.
 */

/** One segment file and the global position of its first byte. */
export interface Segment {
  readonly base: number;
  readonly path: string;
}

const SEGMENT_SUFFIX = '.log';
const RECOVERY_CHUNK_BYTES = 4 * 1024 * 1024;

export const segmentName = (base: number): string => `${String(base).padStart(20, '0')}${SEGMENT_SUFFIX}`;

export const listSegments = async (dir: string): Promise<Segment[]> =>
  (await readdir(dir))
    .filter((name) => /^\d{20}\.log$/.test(name))
    .map((name) => ({ base: Number(name.slice(0, 20)), path: join(dir, name) }))
    .sort((a, b) => a.base - b.base);

/** Sealed segments were fsynced before the next one began, so their sizes must chain exactly. */
export const checkContiguous = async (segments: readonly Segment[]): Promise<void> => {
  for (let i = 0; i + 1 < segments.length; i += 1) {
    const segment = segments[i]!;
    const handle = await open(segment.path, 'r');
    const size = (await handle.stat()).size;
    await handle.close();
    const expected = segments[i + 1]!.base - segment.base;
    if (size !== expected) {
      throw new LogCorruptionError(
        segment.path,
        size,
        `sealed segment holds ${size} bytes, expected ${expected}`,
      );
    }
  }
};

/** Scans the active segment and truncates it after its last whole, valid frame; returns the kept size. */
export const recoverTail = async (handle: FileHandle): Promise<number> => {
  const size = (await handle.stat()).size;
  let valid = 0;
  let carry: Buffer = Buffer.alloc(0);
  let readPos = 0;
  scan: while (readPos < size) {
    const chunk = await readAt(handle, readPos, Math.min(RECOVERY_CHUNK_BYTES, size - readPos));
    readPos += chunk.length;
    const window = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
    let offset = 0;
    while (offset < window.length) {
      const frame = decodeFrame(window, offset);
      if (isFrameProblem(frame)) {
        if (frame.kind === 'corrupt' || readPos >= size) break scan;
        break;
      }
      offset += frame.size;
      valid += frame.size;
    }
    carry = window.subarray(offset);
  }
  if (valid < size) {
    await handle.truncate(valid);
    await handle.datasync();
  }
  return valid;
};

export const readAt = async (handle: FileHandle, position: number, length: number): Promise<Buffer> => {
  const buffer = Buffer.allocUnsafe(length);
  let filled = 0;
  while (filled < length) {
    const { bytesRead } = await handle.read(buffer, filled, length - filled, position + filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return buffer.subarray(0, filled);
};

export const writeFully = async (handle: FileHandle, buffer: Buffer, position: number): Promise<void> => {
  let written = 0;
  while (written < buffer.length) {
    const result = await handle.write(buffer, written, buffer.length - written, position + written);
    written += result.bytesWritten;
  }
};
