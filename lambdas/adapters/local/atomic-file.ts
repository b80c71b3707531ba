import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { syncDirectory } from './sync-directory.ts';

/**
 * Writes `data` to `path` so that after a crash the file holds either its old content or
 * all of the new one, never a part: write a temporary sibling, fsync it, rename it over
 * the target, fsync the directory. Temporary names start with `.tmp-` so scanners skip them.
 */
export const writeFileAtomic = async (
  path: string,
  data: Uint8Array | string,
  options: { readonly mode?: number } = {},
): Promise<void> => {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true });
  const temp = join(dir, `${TEMP_PREFIX}${basename(path)}.${randomBytes(4).toString('hex')}`);
  const handle = await open(temp, 'wx', options.mode ?? 0o644);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(temp, { force: true });
    throw error;
  }
  await handle.close();
  await rename(temp, path);
  await syncDirectory(dir);
};

/** Prefix of the temporary files `writeFileAtomic` leaves behind if it is interrupted. */
export const TEMP_PREFIX = '.tmp-';

/**
 * Removes what interrupted atomic writes left under `dir` (files named `.tmp-...`): they were
 * never renamed into place, so nothing refers to them. Returns how many were removed.
 */
export const removeTemporaryFiles = async (dir: string): Promise<number> => {
  let names: string[];
  try {
    names = await readdir(dir, { recursive: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
  const stale = names.filter((name) => basename(name).startsWith(TEMP_PREFIX));
  for (const name of stale) await rm(join(dir, name), { force: true });
  return stale.length;
};
