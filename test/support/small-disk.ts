import { execFile } from 'node:child_process';
import { mkdtemp, open, rm, statfs } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * A small filesystem of its own (a tmpfs mounted on a fresh temporary folder), so a test can fill it
 * with a ballast file and free it again: a full disk as a user meets it, with every writer (DuckDB's C++
 * included) getting the kernel's ENOSPC. Mounting needs root (CI runs as root here); where it is refused,
 * `mountSmallDisk` resolves with `mounted: false` and the folder is a plain temporary folder: the caller
 * then injects its fault another way and says so.
 */
export interface SmallDisk {
  /** The mount point (or the plain folder when not mounted). */
  readonly dir: string;
  readonly mounted: boolean;
  /** Why mounting was refused, when it was. */
  readonly refusal: string | null;
  /** Writes a ballast file until the filesystem refuses (ENOSPC); resolves with the bytes left free (0 or a few KB). */
  fill(): Promise<number>;
  /** Deletes the ballast. */
  free(): Promise<void>;
  /** Frees the ballast, unmounts and removes the folder. */
  dispose(): Promise<void>;
}

/** Set (to anything) to have `mountSmallDisk` not mount, as where mounting is refused. */
export const NO_TMPFS_ENV = 'TALLY_TEST_NO_TMPFS';

export const mountSmallDisk = async (sizeMb: number): Promise<SmallDisk> => {
  const dir = await mkdtemp(join(tmpdir(), 'tally-small-disk-'));
  let refusal: string | null = null;
  try {
    // set to try the fallbacks on a machine that could mount
    if (process.env[NO_TMPFS_ENV]) throw new Error(`${NO_TMPFS_ENV} is set`);
    await run('mount', ['-t', 'tmpfs', '-o', `size=${sizeMb}m`, 'tmpfs', dir]);
  } catch (error) {
    refusal = error instanceof Error ? error.message.trim() : String(error);
  }
  const mounted = refusal === null;
  const ballast = join(dir, 'ballast');
  const free = () => rm(ballast, { force: true });
  return {
    dir,
    mounted,
    refusal,
    fill: async () => {
      const file = await open(ballast, 'a');
      const chunk = Buffer.alloc(64 * 1024, 1);
      try {
        for (;;) await file.write(chunk);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
      } finally {
        await file.close();
      }
      const stats = await statfs(dir);
      return stats.bavail * stats.bsize;
    },
    free,
    dispose: async () => {
      if (mounted) {
        await free().catch(() => undefined);
        // lazily: a DuckDB instance the test leaked must not keep the mount (and the machine's memory)
        await run('umount', ['-l', dir]).catch(() => undefined);
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
};
