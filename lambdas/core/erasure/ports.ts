/**
 * The object store the erasure rewrites: the raw bucket (`events/` and `rejected/` gzip NDJSON objects).
 * Adapters: S3 (`#adapters/aws/s3-object-store.ts`) and a local folder laid out like the bucket
 * (`#adapters/local/folder-object-store.ts`).
 */
export interface ObjectStore {
  /** Keys of every object whose key starts with `prefix`, ascending. */
  list(prefix: string): Promise<string[]>;
  /** The object's bytes as a stream of chunks; null when there is no object under `key`. */
  read(key: string): Promise<AsyncIterable<Uint8Array> | null>;
  /**
   * Replaces the object's content in one step: a reader sees all of the old bytes or all of the new,
   * never a mix. Where the store keeps versions, the old content becomes a noncurrent version (see
   * {@link purgeOldVersions}).
   */
  replace(key: string, body: Uint8Array): Promise<void>;
  /** Removes the object; where the store keeps versions, every version of it (no delete marker left holding data). */
  delete(key: string): Promise<void>;
  /** Permanently deletes the object's noncurrent versions; returns how many. Always 0 where the store keeps none. */
  purgeOldVersions(key: string): Promise<number>;
  /** How many noncurrent versions of the object the store still keeps (the proof that none is left). */
  countOldVersions(key: string): Promise<number>;
}
