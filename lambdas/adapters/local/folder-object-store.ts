import type { Dirent } from 'node:fs';
import { open, readdir, rm } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { GZIP_NDJSON } from '#adapters/node/gzip-lines.ts';
import type { ObjectStore } from '#core/erasure/ports.ts';
import { TEMP_PREFIX, writeFileAtomic } from './atomic-file.ts';
import { objectPath } from './bucket-layout.ts';
import { syncDirectory } from './sync-directory.ts';

/**
 * The ObjectStore port over the local bucket folder (`.tally/bucket`, laid out like the S3 bucket).
 * A replace is atomic (temporary sibling, fsync, rename, fsync of the folder), so the local loader reads
 * either the old file or the new one. A folder keeps no versions: a replaced or deleted file is gone.
 */
export class FolderObjectStore implements ObjectStore {
  constructor(private readonly root: string) {}

  async list(prefix: string): Promise<string[]> {
    // The deepest folder the prefix names; keys are filtered by the full prefix below it.
    const folder = join(this.root, prefix.includes('/') ? prefix.slice(0, prefix.lastIndexOf('/')) : '');
    let entries: Dirent[];
    try {
      entries = await readdir(folder, { recursive: true, withFileTypes: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    return entries
      .filter((entry) => entry.isFile())
      .map((entry) => relative(this.root, join(entry.parentPath, entry.name)).split(sep))
      .filter((parts) => !parts.some((part) => part.startsWith(TEMP_PREFIX)))
      .map((parts) => parts.join('/'))
      .filter((key) => key.startsWith(prefix))
      .sort();
  }

  /** The bucket's objects are gzip NDJSON. */
  readonly lines = GZIP_NDJSON.lines;
  readonly writer = GZIP_NDJSON.writer;

  async read(key: string): Promise<AsyncIterable<Uint8Array> | null> {
    // Opening first turns a missing file into null instead of a stream error later.
    let handle: Awaited<ReturnType<typeof open>>;
    try {
      handle = await open(objectPath(this.root, key), 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    return handle.createReadStream({ autoClose: true });
  }

  replace(key: string, body: Uint8Array): Promise<void> {
    return writeFileAtomic(objectPath(this.root, key), body);
  }

  async delete(key: string): Promise<void> {
    const path = objectPath(this.root, key);
    await rm(path, { force: true });
    await syncDirectory(dirname(path)).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
  }

  async purgeOldVersions(_key: string): Promise<number> {
    return 0;
  }

  async countOldVersions(_key: string): Promise<number> {
    return 0;
  }
}
