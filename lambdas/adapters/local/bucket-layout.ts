import { randomUUID } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { TEMP_PREFIX } from './atomic-file.ts';

/**
 * Object keys in the local bucket folder, laid out like the S3 bucket Firehose delivers to:
 * `<prefix>/dt=YYYY-MM-DD/hr=HH/<stream>-1-YYYY-MM-DD-HH-MM-SS-<uuid>.json.gz`, partitioned by
 * the UTC time the file's oldest line arrived (Firehose's default timestamp namespace).
 */
export const OBJECT_SUFFIX = '.json.gz';

/** The key for a new object holding lines that started arriving at `arrivedAt`. */
export const objectKey = (prefix: string, deliveryStream: string, arrivedAt: Date): string => {
  const iso = arrivedAt.toISOString();
  const day = iso.slice(0, 10);
  const hour = iso.slice(11, 13);
  const stamp = `${day}-${hour}-${iso.slice(14, 16)}-${iso.slice(17, 19)}`;
  return `${prefix}/dt=${day}/hr=${hour}/${deliveryStream}-1-${stamp}-${randomUUID()}${OBJECT_SUFFIX}`;
};

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
