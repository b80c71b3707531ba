import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from './atomic-file.ts';
import { CheckpointError } from './errors.ts';

/** What a consumer persists: the log position of the first record it has not finished. */
export interface Checkpoint {
  readonly position: number;
  /** When it was written (ISO-8601), for `tally status`. */
  readonly committedAt: string;
}

/** A consumer's position in the stream log, kept in one small JSON file replaced atomically. */
export class CheckpointFile {
  constructor(readonly path: string) {}

  /** The saved checkpoint, or null when the consumer has never committed one. */
  async read(): Promise<Checkpoint | null> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw new CheckpointError(this.path, 'cannot read the file', error);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw new CheckpointError(this.path, 'not JSON', error);
    }
    if (!isCheckpoint(parsed)) throw new CheckpointError(this.path, 'expected {"position": <integer>, ...}');
    return parsed;
  }

  /** Durably replaces the checkpoint. */
  async write(position: number, now: Date = new Date()): Promise<void> {
    const checkpoint: Checkpoint = { position, committedAt: now.toISOString() };
    await writeFileAtomic(this.path, `${JSON.stringify(checkpoint)}\n`);
  }
}

const isCheckpoint = (value: unknown): value is Checkpoint =>
  typeof value === 'object' &&
  value !== null &&
  Number.isSafeInteger((value as { position?: unknown }).position) &&
  (value as { position: number }).position >= 0 &&
  typeof (value as { committedAt?: unknown }).committedAt === 'string';
