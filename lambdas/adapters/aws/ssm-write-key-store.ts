import { GetParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';
import type { WriteKeyRecord, WriteKeyStore } from '#core/collector/ports.ts';
import { parseWriteKeyDocument } from '#core/collector/write-key-document.ts';

export interface SsmWriteKeyStoreOptions {
  /**
   * How long one read of the parameter answers lookups. It keeps floods of unknown keys from
   * calling SSM once each (SSM throttles at a few dozen reads per second); it adds to the core
   * cache TTL in how long a revoked key keeps working (30 s + 5 s by default, under a minute).
   * @default 5000
   */
  readonly snapshotMaxAgeMs?: number;
  /** Epoch-ms clock for the snapshot age. @default Date.now */
  readonly now?: () => number;
}

/**
 * Write keys from one SSM parameter (SecureString or String) holding the write-key document
 * `{ "keys": [{ "source_id", "key_sha256", "revoked"?, "tracking_plan"? }] }`. Read with decryption; a missing
 * parameter, an SSM error or an invalid document throws, which the collector answers with 503.
 */
export class SsmWriteKeyStore implements WriteKeyStore {
  readonly #client: SSMClient;
  readonly #parameterName: string;
  readonly #maxAgeMs: number;
  readonly #now: () => number;
  #snapshot: { readonly keys: ReadonlyMap<string, WriteKeyRecord>; readonly readAt: number } | undefined;

  constructor(client: SSMClient, parameterName: string, options: SsmWriteKeyStoreOptions = {}) {
    this.#client = client;
    this.#parameterName = parameterName;
    this.#maxAgeMs = options.snapshotMaxAgeMs ?? 5000;
    this.#now = options.now ?? Date.now;
  }

  async lookup(keySha256: string): Promise<WriteKeyRecord | undefined> {
    return (await this.#keys()).get(keySha256.toLowerCase());
  }

  async #keys(): Promise<ReadonlyMap<string, WriteKeyRecord>> {
    const now = this.#now();
    if (this.#snapshot !== undefined && now - this.#snapshot.readAt < this.#maxAgeMs)
      return this.#snapshot.keys;
    const output = await this.#client.send(
      new GetParameterCommand({ Name: this.#parameterName, WithDecryption: true }),
    );
    const value = output.Parameter?.Value;
    if (value === undefined) throw new Error(`SSM parameter ${this.#parameterName} has no value`);
    const keys = parseWriteKeyDocument(value, `in SSM parameter ${this.#parameterName}`);
    this.#snapshot = { keys, readAt: now };
    return keys;
  }
}
