import { SSMProvider } from '@aws-lambda-powertools/parameters/ssm';
import type { SSMClient } from '@aws-sdk/client-ssm';
import type { WriteKeyRecord, WriteKeyStore } from '#core/collector/ports.ts';
import { parseWriteKeyDocument } from '#core/collector/write-key-document.ts';

export interface SsmWriteKeyStoreOptions {
  /**
   * How long one read of the parameter answers lookups (Powertools Parameters' cache). It keeps floods
   * of unknown keys from calling SSM once each (SSM's default quota is 40 reads per second per account
   * and region, shared by every collector container); it adds to the core cache TTL in how long a
   * revoked key keeps working (30 s + 5 s by default, under a minute).
   * @default 5
   */
  readonly maxAgeSeconds?: number;
}

/**
 * Write keys from one SSM parameter (SecureString or String) holding the write-key document
 * `{ "keys": [{ "source_id", "key_sha256", "revoked"?, "tracking_plan"? }] }`, read with decryption through Powertools
 * Parameters and kept for `maxAgeSeconds`, so a rotated or revoked key is seen without recycling the
 * container. Lookups while a read is in flight share it. A missing parameter, an SSM error or an
 * invalid document throws, which the collector answers with 503.
 */
export class SsmWriteKeyStore implements WriteKeyStore {
  readonly #provider: SSMProvider;
  readonly #parameterName: string;
  readonly #maxAgeSeconds: number;
  #reading: Promise<string | undefined> | undefined;
  /** The last document read, parsed: the cached text comes back as the same string until it expires. */
  #parsed: { readonly text: string; readonly keys: ReadonlyMap<string, WriteKeyRecord> } | undefined;

  constructor(client: SSMClient, parameterName: string, options: SsmWriteKeyStoreOptions = {}) {
    this.#provider = new SSMProvider({ awsSdkV3Client: client });
    this.#parameterName = parameterName;
    this.#maxAgeSeconds = options.maxAgeSeconds ?? 5;
  }

  async lookup(keySha256: string): Promise<WriteKeyRecord | undefined> {
    return (await this.#keys()).get(keySha256.toLowerCase());
  }

  async #keys(): Promise<ReadonlyMap<string, WriteKeyRecord>> {
    this.#reading ??= this.#provider
      .get(this.#parameterName, { decrypt: true, maxAge: this.#maxAgeSeconds })
      .finally(() => {
        this.#reading = undefined;
      });
    const text = await this.#reading;
    if (text === undefined) throw new Error(`SSM parameter ${this.#parameterName} has no value`);
    if (this.#parsed?.text !== text) {
      this.#parsed = { text, keys: parseWriteKeyDocument(text, `in SSM parameter ${this.#parameterName}`) };
    }
    return this.#parsed.keys;
  }
}
