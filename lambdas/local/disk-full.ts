import { statfs } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * A full disk as every layer reports it: Node's `ENOSPC` code, DuckDB's "No space left on device" (the
 * C library's text, inside its own error message), or either as the cause of a wrapping error. A string
 * (a problem the validator thread reported as text) is judged by its text.
 */
export const isDiskFull = (error: unknown): boolean => {
  for (let e: unknown = error, depth = 0; e !== undefined && e !== null && depth < 10; depth++) {
    if (typeof e === 'string') return NO_SPACE.test(e);
    if ((e as NodeJS.ErrnoException).code === 'ENOSPC') return true;
    if (NO_SPACE.test(e instanceof Error ? e.message : String(e))) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
};

const NO_SPACE = /No space left on device|ENOSPC/;

/** Bytes an unprivileged process may still write on the filesystem holding `folder` (its nearest existing parent). */
export const freeBytes = async (folder: string): Promise<number | null> => {
  for (let dir = folder; ; dir = dirname(dir)) {
    try {
      const stats = await statfs(dir);
      return stats.bavail * stats.bsize;
    } catch {
      if (dirname(dir) === dir) return null;
    }
  }
};

/** `0 B`, `812 KiB`, `3.4 GiB`. */
export const formatBytes = (bytes: number): string => {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${unit === 0 || value >= 10 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
};

/** What to do about a full disk while `tally dev` runs. */
export const RUNNING_FIX =
  'Free some space there (tally dev carries on by itself once there is room), or stop it and start it with --home on a disk with room';

/** What to do about a full disk that keeps `tally dev` from starting. */
export const START_FIX = 'Free some space there, or start it with --home on a disk with room';

/**
 * The one line that says the disk is full: which folder, how much is free, what the stack does meanwhile
 * (`doing`, if anything) and what to do.
 */
export const diskFullLine = (
  folder: string,
  free: number | null,
  doing: string | null,
  fix: string,
): string =>
  `disk full: the filesystem holding ${folder} has ${free === null ? 'no' : formatBytes(free)} free` +
  `${doing === null ? '' : `; ${doing}`}. ${fix}`;
