import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { writeFileAtomic } from '#adapters/local/atomic-file.ts';
import { objectPath } from '#adapters/local/bucket-layout.ts';
import { FolderObjectStore } from '#adapters/local/folder-object-store.ts';

/** A fresh local bucket folder and the store over it. */
export const tempBucket = async () => {
  const root = await mkdtemp(join(tmpdir(), 'tally-erasure-bucket-'));
  const store = new FolderObjectStore(root);
  return {
    root,
    store,
    /** Writes NDJSON lines as a gzip object, as the (local) Firehose does. */
    put: (key: string, lines: readonly string[]) =>
      writeFileAtomic(objectPath(root, key), gzipSync(`${lines.join('\n')}\n`)),
    /** The raw (gzip) bytes of an object. */
    bytes: (key: string) => readFile(objectPath(root, key)),
    /** The decompressed text of an object. */
    text: async (key: string) => gunzipSync(await readFile(objectPath(root, key))).toString('utf8'),
  };
};
