/**
 * The object store the erasure rewrites: the raw bucket (`events/` and `rejected/` gzip NDJSON objects).
 * Adapters: S3 (`#adapters/aws/s3-object-store.ts`) and a local folder laid out like the bucket
 * (`#adapters/local/folder-object-store.ts`).
 */
/** One line of an NDJSON object: its text and whether a newline ended it (the last line may lack one). */
export interface ObjectLine {
  readonly text: string;
  readonly newline: boolean;
}

/** Builds an object body from lines, encoded as they come (only the encoded bytes are held in memory). */
export interface ObjectBodyWriter {
  write(line: ObjectLine): Promise<void>;
  /** Ends the body and returns it whole. */
  finish(): Promise<Uint8Array>;
}

/**
 * How a store's objects hold NDJSON lines (gzip for the raw bucket): the core reads and writes lines,
 * the adapter does the compression (`#adapters/node/gzip-lines.ts`).
 */
export interface LineCodec {
  /** The lines of a body, streamed (never held whole). */
  lines(body: AsyncIterable<Uint8Array>): AsyncIterable<ObjectLine>;
  writer(): ObjectBodyWriter;
}

export interface ObjectStore extends LineCodec {
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
