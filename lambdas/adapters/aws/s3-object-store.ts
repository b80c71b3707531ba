import { randomUUID } from 'node:crypto';
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  NoSuchKey,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { GZIP_NDJSON } from '#adapters/node/gzip-lines.ts';
import type { ObjectStore } from '#core/erasure/ports.ts';

export interface S3ObjectStoreOptions {
  readonly client: S3Client;
  readonly bucket: string;
  /** Whether the bucket keeps versions (the raw bucket of the CDK stack does). @default true */
  readonly versioned?: boolean;
  /**
   * Where a replacement is uploaded before it is copied over the object: outside `events/` and
   * `rejected/`, so the upload itself notifies no pipe. @default 'erasure-staging/'
   */
  readonly stagingPrefix?: string;
}

/** CopyObject's source: URL-encoded, path separators kept. */
export const copySource = (bucket: string, key: string): string =>
  `${bucket}/${key.split('/').map(encodeURIComponent).join('/')}`;

/** One version (or delete marker) of a key. */
interface KeyVersion {
  readonly versionId: string;
  readonly latest: boolean;
}

/**
 * The ObjectStore port on S3.
 *
 * A replace uploads the new bytes under the staging prefix and copies them over the object with
 * CopyObject: S3 swaps the object atomically, and the copy raises an `s3:ObjectCreated:Copy` event,
 * which the Snowpipe notification (Put and CompleteMultipartUpload only) ignores, so a rewritten file is
 * not loaded a second time. On a versioned bucket the old content stays as a noncurrent version until
 * {@link purgeOldVersions} deletes it by VersionId (the bucket's noncurrent-version expiry is the backstop),
 * and a delete removes every version of the key rather than leaving data behind a delete marker.
 */
export class S3ObjectStore implements ObjectStore {
  private readonly client: S3Client;
  private readonly bucket: string;
  private readonly versioned: boolean;
  private readonly stagingPrefix: string;

  constructor(options: S3ObjectStoreOptions) {
    this.client = options.client;
    this.bucket = options.bucket;
    this.versioned = options.versioned ?? true;
    this.stagingPrefix = options.stagingPrefix ?? 'erasure-staging/';
  }

  async list(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token }),
      );
      for (const item of page.Contents ?? []) if (item.Key !== undefined) keys.push(item.Key);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token !== undefined);
    return keys.sort();
  }

  /** The bucket's objects are gzip NDJSON. */
  readonly lines = GZIP_NDJSON.lines;
  readonly writer = GZIP_NDJSON.writer;

  async read(key: string): Promise<AsyncIterable<Uint8Array> | null> {
    try {
      const object = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      return (object.Body as AsyncIterable<Uint8Array> | undefined) ?? null;
    } catch (error) {
      if (error instanceof NoSuchKey) return null;
      throw error;
    }
  }

  async replace(key: string, body: Uint8Array): Promise<void> {
    const staging = `${this.stagingPrefix}${randomUUID()}`;
    await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: staging, Body: body }));
    try {
      await this.client.send(
        new CopyObjectCommand({
          Bucket: this.bucket,
          Key: key,
          CopySource: copySource(this.bucket, staging),
        }),
      );
    } finally {
      await this.delete(staging);
    }
  }

  async delete(key: string): Promise<void> {
    if (!this.versioned) {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
      return;
    }
    for (const version of await this.versions(key)) await this.deleteVersion(key, version.versionId);
  }

  async purgeOldVersions(key: string): Promise<number> {
    if (!this.versioned) return 0;
    const old = (await this.versions(key)).filter((v) => !v.latest);
    for (const version of old) await this.deleteVersion(key, version.versionId);
    return old.length;
  }

  async countOldVersions(key: string): Promise<number> {
    if (!this.versioned) return 0;
    return (await this.versions(key)).filter((v) => !v.latest).length;
  }

  private async deleteVersion(key: string, versionId: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key, VersionId: versionId }));
  }

  /** Every version and delete marker of exactly `key` (the listing is by prefix, so longer keys are dropped). */
  private async versions(key: string): Promise<KeyVersion[]> {
    const out: KeyVersion[] = [];
    let keyMarker: string | undefined;
    let versionMarker: string | undefined;
    for (;;) {
      const page = await this.client.send(
        new ListObjectVersionsCommand({
          Bucket: this.bucket,
          Prefix: key,
          KeyMarker: keyMarker,
          VersionIdMarker: versionMarker,
        }),
      );
      for (const item of [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])]) {
        if (item.Key === key && item.VersionId !== undefined) {
          out.push({ versionId: item.VersionId, latest: item.IsLatest === true });
        }
      }
      if (!page.IsTruncated) return out;
      keyMarker = page.NextKeyMarker;
      versionMarker = page.NextVersionIdMarker;
    }
  }
}
