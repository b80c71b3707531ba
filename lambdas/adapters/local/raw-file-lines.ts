import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { MAX_LINE_BYTES, UNLOADABLE_RECORD_CHARS } from '#core/warehouse/raw-lines.ts';

/**
 * The lines of a raw NDJSON file as the line path reads them: split at `\n` (a `\r` before it is
 * dropped), numbered from 1 with blank lines counted, a byte order mark opening the file dropped (as
 * DuckDB's reader does). A line that cannot be read as text carries the problem instead of failing
 * the file, so the loader can route it to raw.rejected_events and load its neighbours:
 *
 * - bytes that are not UTF-8: the text shows them as U+FFFD;
 * - a line over {@link MAX_LINE_BYTES}: the text is its beginning, and the rest is skipped unbuffered;
 * - a gzip stream that is cut short or corrupt: every line inflated whole is read as usual, then one
 *   last line (numbered after them) stands for where reading stopped, holding what was inflated of the
 *   unfinished line. Whatever came after is unreadable; the file in the bucket keeps it.
 *
 * Any other read error (a missing file, an I/O error) is thrown: the file is not loaded.
 */
export interface FileLine {
  /** 1-based line number in the (inflated) file. */
  readonly row: number;
  readonly text: string;
  /** Why the line cannot be loaded whatever it says, or null. */
  readonly problem: string | null;
}

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
/** Bytes kept of a line that is too long: enough for its row's raw_record. */
const KEPT_OF_LONG_LINE = UNLOADABLE_RECORD_CHARS;
/** Large reads: fewer, bigger chunks cost less CPU when inflating and splitting. */
const READ_CHUNK = 1 << 20;

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Collects the bytes of one line across chunks, keeping at most what a too-long line needs. */
class LineBytes {
  private parts: Buffer[] = [];
  private kept = 0;
  private total = 0;

  add(bytes: Buffer): void {
    this.total += bytes.length;
    if (this.kept >= MAX_LINE_BYTES + 1) return;
    this.parts.push(bytes);
    this.kept += bytes.length;
  }

  get length(): number {
    return this.total;
  }

  /** The line read so far, and starts the next one. */
  take(row: number, extraProblem: string | null = null): FileLine {
    let bytes = this.parts.length === 1 ? (this.parts[0] as Buffer) : Buffer.concat(this.parts);
    const total = this.total;
    this.parts = [];
    this.kept = 0;
    this.total = 0;
    if (row === 1 && bytes.subarray(0, 3).equals(BOM)) bytes = bytes.subarray(3);
    if (bytes.length > 0 && bytes[bytes.length - 1] === CARRIAGE_RETURN && extraProblem === null)
      bytes = bytes.subarray(0, bytes.length - 1);
    if (total > MAX_LINE_BYTES) {
      return {
        row,
        text: bytes.subarray(0, KEPT_OF_LONG_LINE).toString('utf8'),
        problem:
          `the line is ${total} bytes long, more than the ${MAX_LINE_BYTES} a line may have ` +
          `(raw_record keeps its first ${KEPT_OF_LONG_LINE} bytes)`,
      };
    }
    try {
      return { row, text: utf8.decode(bytes), problem: extraProblem };
    } catch {
      return {
        row,
        text: bytes.toString('utf8'),
        problem: extraProblem ?? 'not valid UTF-8 (the text shows each invalid byte as U+FFFD)',
      };
    }
  }
}

/**
 * True for the errors zlib raises on a gzip stream it cannot inflate (cut short, corrupt, bad checksum).
 * Duck-typed: errors of Node's own modules are not `instanceof Error` in every realm (Jest's, for one).
 */
const isZlibError = (error: unknown): error is { code: string; message: string } =>
  typeof error === 'object' && error !== null && String((error as { code?: unknown }).code).startsWith('Z_');

/** Every line of the file (see {@link FileLine}). */
export async function* readFileLines(path: string, compression: 'gzip' | 'none'): AsyncGenerator<FileLine> {
  const file = createReadStream(path, { highWaterMark: READ_CHUNK });
  const source: Readable = compression === 'gzip' ? file.pipe(createGunzip({ chunkSize: READ_CHUNK })) : file;
  file.on('error', (error) => source.destroy(error));
  const line = new LineBytes();
  let row = 0;
  try {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      let start = 0;
      for (let end = chunk.indexOf(NEWLINE); end >= 0; end = chunk.indexOf(NEWLINE, start)) {
        line.add(chunk.subarray(start, end));
        row += 1;
        yield line.take(row);
        start = end + 1;
      }
      if (start < chunk.length) line.add(chunk.subarray(start));
    }
  } catch (error) {
    if (!isZlibError(error)) throw error;
    yield line.take(
      row + 1,
      `the file's gzip stream ends early or is corrupt (${error.message}): reading stopped in this line, ` +
        'which holds what could be inflated of it; nothing after it could be read (the file keeps the bytes)',
    );
    return;
  } finally {
    // a consumer that stops early leaves the file open otherwise (gunzip does not close its source)
    file.destroy();
  }
  if (line.length > 0) yield line.take(row + 1);
}
