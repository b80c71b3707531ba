import type { WriteKeyRecord, WriteKeyStore } from '#core/collector/ports.ts';
import { hashWriteKey } from '#core/collector/write-key.ts';
import { DEFAULT_TRACKING_PLAN, type TrackingPlanMode } from '#core/contract/envelope.ts';

/** A WriteKeyStore over a map, counting lookups; keys are added in clear and stored hashed, like the real stores. */
export class MemoryWriteKeyStore implements WriteKeyStore {
  readonly #records = new Map<string, WriteKeyRecord>();
  lookups = 0;
  failure: Error | undefined;

  add(key: string, sourceId: string, trackingPlan: TrackingPlanMode = DEFAULT_TRACKING_PLAN): this {
    this.#records.set(hashWriteKey(key), { sourceId, revoked: false, trackingPlan });
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
