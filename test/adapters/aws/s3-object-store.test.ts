import {
  CopyObjectCommand,
  DeleteObjectCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { S3ObjectStore } from '#adapters/aws/s3-object-store.ts';
import { describeObjectStoreContract } from '../../core/erasure/support/object-store-contract.ts';
import { type RunningS3rver, startS3rver } from '../../support/s3rver.ts';

let s3rver: RunningS3rver;
beforeAll(async () => {
  s3rver = await startS3rver();
});
afterAll(() => s3rver.stop());

describeObjectStoreContract('S3ObjectStore on s3rver', async () => {
  const bucket = await s3rver.createBucket();
  return {
    // s3rver keeps no versions (and answers ListObjectVersions with MethodNotAllowed).
    store: new S3ObjectStore({ client: s3rver.client, bucket, versioned: false }),
    seed: async (key, body) => {
      await s3rver.client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
    },
  };
});

describe('S3ObjectStore on a versioned bucket (exact S3 commands)', () => {
  const BUCKET = 'tally-raw';
  const KEY = 'events/dt=2025-03-04/hr=09/tally-events-1-2025-03-04-09-00-00-a.json.gz';
  const client = new S3Client({
    region: 'eu-west-1',
    credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
  });
  const s3 = mockClient(client);
  const store = new S3ObjectStore({ client, bucket: BUCKET });
  beforeEach(() => s3.reset());

  const deletedVersions = () =>
    s3.commandCalls(DeleteObjectCommand).map(({ args: [{ input }] }) => ({
      Bucket: input.Bucket,
      Key: input.Key,
      VersionId: input.VersionId,
    }));

  it('purges the noncurrent versions of exactly that key by VersionId, keeping the current one', async () => {
    s3.on(ListObjectVersionsCommand, { Bucket: BUCKET, Prefix: KEY }).resolves({
      IsTruncated: false,
      Versions: [
        { Key: KEY, VersionId: 'v3', IsLatest: true },
        { Key: KEY, VersionId: 'v2', IsLatest: false },
        { Key: KEY, VersionId: 'v1', IsLatest: false },
        { Key: `${KEY}.other`, VersionId: 'x1', IsLatest: false },
      ],
      DeleteMarkers: [{ Key: KEY, VersionId: 'm1', IsLatest: false }],
    });

    expect(await store.purgeOldVersions(KEY)).toBe(3);

    expect(deletedVersions()).toEqual([
      { Bucket: BUCKET, Key: KEY, VersionId: 'v2' },
      { Bucket: BUCKET, Key: KEY, VersionId: 'v1' },
      { Bucket: BUCKET, Key: KEY, VersionId: 'm1' },
    ]);
  });

  it('follows the version listing across pages', async () => {
    s3.on(ListObjectVersionsCommand, { Bucket: BUCKET, Prefix: KEY, KeyMarker: undefined })
      .resolves({
        IsTruncated: true,
        NextKeyMarker: KEY,
        NextVersionIdMarker: 'v2',
        Versions: [{ Key: KEY, VersionId: 'v3', IsLatest: true }],
      })
      .on(ListObjectVersionsCommand, { Bucket: BUCKET, Prefix: KEY, KeyMarker: KEY, VersionIdMarker: 'v2' })
      .resolves({ IsTruncated: false, Versions: [{ Key: KEY, VersionId: 'v1', IsLatest: false }] });

    expect(await store.countOldVersions(KEY)).toBe(1);
    expect(await store.purgeOldVersions(KEY)).toBe(1);
    expect(deletedVersions()).toEqual([{ Bucket: BUCKET, Key: KEY, VersionId: 'v1' }]);
  });

  it('deletes every version and delete marker of a key, leaving nothing restorable', async () => {
    s3.on(ListObjectVersionsCommand, { Bucket: BUCKET, Prefix: KEY }).resolves({
      IsTruncated: false,
      Versions: [
        { Key: KEY, VersionId: 'v2', IsLatest: true },
        { Key: KEY, VersionId: 'v1', IsLatest: false },
      ],
      DeleteMarkers: [{ Key: KEY, VersionId: 'm0', IsLatest: false }],
    });

    await store.delete(KEY);

    expect(deletedVersions()).toEqual([
      { Bucket: BUCKET, Key: KEY, VersionId: 'v2' },
      { Bucket: BUCKET, Key: KEY, VersionId: 'v1' },
      { Bucket: BUCKET, Key: KEY, VersionId: 'm0' },
    ]);
  });

  it('replaces an object by uploading to the staging prefix, copying over the key, then deleting the staging versions', async () => {
    s3.on(ListObjectVersionsCommand).callsFake((input: { Prefix: string }) => ({
      IsTruncated: false,
      Versions: [{ Key: input.Prefix, VersionId: 's1', IsLatest: true }],
    }));

    await store.replace(KEY, Buffer.from('gz'));

    const [put] = s3.commandCalls(PutObjectCommand).map(({ args: [{ input }] }) => input);
    const staging = put?.Key ?? '';
    expect(staging).toMatch(/^erasure-staging\/[0-9a-f-]{36}$/);
    expect(put?.Bucket).toBe(BUCKET);
    expect(s3.commandCalls(CopyObjectCommand).map(({ args: [{ input }] }) => input)).toEqual([
      { Bucket: BUCKET, Key: KEY, CopySource: `${BUCKET}/${staging}` },
    ]);
    expect(deletedVersions()).toEqual([{ Bucket: BUCKET, Key: staging, VersionId: 's1' }]);
  });

  it('deletes the staging upload even when the copy fails', async () => {
    s3.on(CopyObjectCommand).rejects(new Error('AccessDenied'));
    s3.on(ListObjectVersionsCommand).callsFake((input: { Prefix: string }) => ({
      IsTruncated: false,
      Versions: [{ Key: input.Prefix, VersionId: 's1', IsLatest: true }],
    }));

    await expect(store.replace(KEY, Buffer.from('gz'))).rejects.toThrow('AccessDenied');

    expect(deletedVersions().map((d) => d.Key)).toEqual([
      s3.commandCalls(PutObjectCommand)[0]?.args[0].input.Key,
    ]);
  });

  it('lists keys across continuation pages', async () => {
    s3.on(ListObjectsV2Command, { Bucket: BUCKET, Prefix: 'events/', ContinuationToken: undefined })
      .resolves({ IsTruncated: true, NextContinuationToken: 't2', Contents: [{ Key: 'events/b' }] })
      .on(ListObjectsV2Command, { Bucket: BUCKET, Prefix: 'events/', ContinuationToken: 't2' })
      .resolves({ IsTruncated: false, Contents: [{ Key: 'events/a' }] });

    expect(await store.list('events/')).toEqual(['events/a', 'events/b']);
  });
});
