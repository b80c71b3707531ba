import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '#adapters/local/atomic-file.ts';
import { hashWriteKey } from '#core/collector/write-key.ts';
import type { WriteKeyDocument } from '#core/collector/write-key-document.ts';
import { LocalStateError } from './errors.ts';

/** Plain write keys by source id, as local clients and the demo use them. */
export type PlainWriteKeys = Readonly<Record<string, string>>;

/**
 * Makes sure every source in `sources` has a write key: keeps the keys already issued, issues
 * new random ones for missing sources, and writes both files: the digest document the
 * collector reads (the same format as the SSM parameter, only hashes) and the plain keys
 * (local only, file mode 0600) so `tally dev` can print them and the demo can use them.
 */
export const ensureLocalWriteKeys = async (
  digestFile: string,
  plainFile: string,
  sources: readonly string[],
): Promise<PlainWriteKeys> => {
  const existing = await readPlainKeys(plainFile);
  const keys: Record<string, string> = { ...existing };
  let changed = false;
  for (const source of sources) {
    if (keys[source] === undefined) {
      keys[source] = `wk_local_${source.replace(/[^a-z0-9]/gi, '')}_${randomBytes(12).toString('hex')}`;
      changed = true;
    }
  }
  if (changed || existing === null) {
    await writeFileAtomic(plainFile, `${JSON.stringify(keys, null, 2)}\n`, { mode: 0o600 });
    const document: WriteKeyDocument = {
      keys: Object.entries(keys).map(([source_id, key]) => ({ source_id, key_sha256: hashWriteKey(key) })),
    };
    await writeFileAtomic(digestFile, `${JSON.stringify(document, null, 2)}\n`);
  }
  return keys;
};

const readPlainKeys = async (file: string): Promise<Record<string, string> | null> => {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new LocalStateError(file, 'not JSON; delete it to issue new keys', error);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new LocalStateError(
      file,
      'expected a JSON object of source id -> write key; delete it to issue new keys',
    );
  }
  return Object.fromEntries(
    Object.entries(parsed).filter((e): e is [string, string] => typeof e[1] === 'string'),
  );
};
