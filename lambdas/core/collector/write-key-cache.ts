import type { TrackingPlanMode } from '#core/contract/envelope.ts';
import { RevokedWriteKeyError, UnknownWriteKeyError, WriteKeyStoreUnavailableError } from './errors.ts';
import type { Clock, WriteKeyRecord, WriteKeyStore } from './ports.ts';
import type { WriteKeyCacheSettings } from './settings.ts';
import { hashWriteKey } from './write-key.ts';

/** The source a request was authenticated as. */
export interface AuthenticatedSource {
  readonly sourceId: string;
  /** What the validator does with the source's events that have no schema (on every record's meta line). */
  readonly trackingPlan: TrackingPlanMode;
}

interface Entry {
  readonly record: WriteKeyRecord | undefined;
  readonly expiresAt: number;
}

/**
 * Authenticates write keys against a WriteKeyStore, caching each answer (found, revoked or
 * unknown) for `ttlMs`. The TTL is what makes revocation take effect: a key revoked in the store
 * is refused at most `ttlMs` later. The cache is bounded (oldest entries go first) so floods of
 * random keys cannot grow it, and concurrent lookups of one digest share a single store call.
 */
export class WriteKeyAuthenticator {
  readonly #entries = new Map<string, Entry>();
  readonly #inFlight = new Map<string, Promise<WriteKeyRecord | undefined>>();
  readonly #store: WriteKeyStore;
  readonly #settings: WriteKeyCacheSettings;
  readonly #clock: Clock;
  readonly #retryAfterSeconds: number;

  constructor(
    store: WriteKeyStore,
    settings: WriteKeyCacheSettings,
    clock: Clock,
    retryAfterSeconds: number,
  ) {
    this.#store = store;
    this.#settings = settings;
    this.#clock = clock;
    this.#retryAfterSeconds = retryAfterSeconds;
  }

  /** The key's source; throws UnknownWriteKeyError / RevokedWriteKeyError (403) or WriteKeyStoreUnavailableError (503). */
  async authenticate(key: string): Promise<AuthenticatedSource> {
    const record = await this.#lookup(hashWriteKey(key));
    if (record === undefined) throw new UnknownWriteKeyError();
    if (record.revoked) throw new RevokedWriteKeyError();
    return { sourceId: record.sourceId, trackingPlan: record.trackingPlan };
  }

  async #lookup(digest: string): Promise<WriteKeyRecord | undefined> {
    const cached = this.#entries.get(digest);
    if (cached !== undefined && cached.expiresAt > this.#clock.now()) return cached.record;
    const pending = this.#inFlight.get(digest);
    if (pending !== undefined) return pending;
    const lookup = this.#fetch(digest).finally(() => this.#inFlight.delete(digest));
    this.#inFlight.set(digest, lookup);
    return lookup;
  }

  async #fetch(digest: string): Promise<WriteKeyRecord | undefined> {
    // Expiry counts from before the call: the answer is at least that fresh, never fresher.
    const askedAt = this.#clock.now();
    let record: WriteKeyRecord | undefined;
    try {
      record = await this.#store.lookup(digest);
    } catch (error) {
      throw new WriteKeyStoreUnavailableError(this.#retryAfterSeconds, error);
    }
    this.#entries.delete(digest);
    this.#entries.set(digest, { record, expiresAt: askedAt + this.#settings.ttlMs });
    while (this.#entries.size > this.#settings.maxEntries) {
      const oldest = this.#entries.keys().next().value as string;
      this.#entries.delete(oldest);
    }
    return record;
  }
}
