import type { WriteKeyRecord, WriteKeyStore } from '#core/collector/ports.ts';
import { hashWriteKey } from '#core/collector/write-key.ts';

/** A WriteKeyStore over a map, counting lookups; keys are added in clear and stored hashed, like the real stores. */
export class MemoryWriteKeyStore implements WriteKeyStore {
  readonly #records = new Map<string, WriteKeyRecord>();
  lookups = 0;
  failure: Error | undefined;

  add(key: string, sourceId: string): this {
    this.#records.set(hashWriteKey(key), { sourceId, revoked: false });
    return this;
  }

  revoke(key: string): this {
    const digest = hashWriteKey(key);
    const record = this.#records.get(digest);
    if (record !== undefined) this.#records.set(digest, { ...record, revoked: true });
    return this;
  }

  async lookup(keySha256: string): Promise<WriteKeyRecord | undefined> {
    this.lookups++;
    if (this.failure !== undefined) throw this.failure;
    return this.#records.get(keySha256);
  }
}
