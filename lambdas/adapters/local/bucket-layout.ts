import { randomUUID } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import {
  objectKey as layoutKey,
  RAW_FILE_EXTENSION,
  type RawPrefixName,
} from '#core/contract/bucket-layout.ts';
import { TEMP_PREFIX } from './atomic-file.ts';

/**
 * Object keys in the local bucket folder, laid out like the S3 bucket Firehose delivers to (the one
 * layout, `#core/contract/bucket-layout.ts`).
 */
export const OBJECT_SUFFIX = RAW_FILE_EXTENSION;

/** The key for a new object holding lines that started arriving at `arrivedAt` (a random id, as Firehose's). */
export const objectKey = (prefix: RawPrefixName, deliveryStream: string, arrivedAt: Date): string =>
  layoutKey(prefix, deliveryStream, arrivedAt, randomUUID());

/**
 * Every finished object under `prefix`, as keys with `/` separators, oldest partition first.
 * Temporary files of an interrupted write are never listed.
 */
export const listObjects = async (root: string, prefix: string): Promise<string[]> => {
  const base = join(root, prefix);
  let names: string[];
  try {
    names = await readdir(base, { recursive: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return names
    .filter((name) => name.endsWith(OBJECT_SUFFIX) && !name.split(sep).some((p) => p.startsWith(TEMP_PREFIX)))
    .map((name) => relative(root, join(base, name)).split(sep).join('/'))
    .sort();
};

/** Absolute path of a key in the bucket folder. */
export const objectPath = (root: string, key: string): string => join(root, ...key.split('/'));
