import { readFile } from 'node:fs/promises';
import type { WriteKeyRecord, WriteKeyStore } from '#core/collector/ports.ts';
import { parseWriteKeyDocument } from '#core/collector/write-key-document.ts';

/**
 * Write keys from a local JSON file with the same document as the SSM parameter
 * (`{ "keys": [{ "source_id", "key_sha256", "revoked"?, "tracking_plan"? }] }`). The file is read on every lookup
 * (the core caches answers), so edits, rotations and revocations apply without a restart.
 * A missing or invalid file throws, which the collector answers with 503.
 */
export class FileWriteKeyStore implements WriteKeyStore {
  readonly #path: string;

  constructor(path: string) {
    this.#path = path;
  }

  async lookup(keySha256: string): Promise<WriteKeyRecord | undefined> {
    const text = await readFile(this.#path, 'utf8');
    return parseWriteKeyDocument(text, `in file ${this.#path}`).get(keySha256.toLowerCase());
  }
}
