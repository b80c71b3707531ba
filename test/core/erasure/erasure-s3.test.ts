import { gunzipSync, gzipSync } from 'node:zlib';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { S3ObjectStore } from '#adapters/aws/s3-object-store.ts';
import { eraseUser } from '#core/erasure/erase-user.ts';
import { type RunningS3rver, startS3rver } from '../../support/s3rver.ts';
import { busiestUser, linesOf, rowsHolding, type WorkloadUser, withoutUser } from './support/oracle.ts';
import { type LocalStack, localStack } from './support/stack.ts';
import { type LandedWorkload, landWorkload } from './support/workload.ts';

const START = Date.parse('2025-03-24T00:00:00.000Z');

let s3rver: RunningS3rver;
let bucket: string;
let workload: LandedWorkload;
let user: WorkloadUser;
let stack: LocalStack;
let outcome: Awaited<ReturnType<typeof eraseUser>>;

/** Every object of the s3rver bucket, decompressed, by key. */
const bucketContents = async (): Promise<Map<string, string>> => {
  const listed = await s3rver.client.send(new ListObjectsV2Command({ Bucket: bucket }));
  const out = new Map<string, string>();
  for (const { Key } of listed.Contents ?? []) {
    const object = await s3rver.client.send(new GetObjectCommand({ Bucket: bucket, Key }));
    out.set(Key ?? '', gunzipSync(Buffer.from(await object.Body!.transformToByteArray())).toString('utf8'));
  }
  return out;
};

beforeAll(async () => {
  s3rver = await startS3rver();
  bucket = await s3rver.createBucket('tally-raw-test');
  workload = await landWorkload(17, START, { eventsPerSecond: 0.004 });
  user = busiestUser(workload);
  const landedAt = workload.end + 600_000;
  stack = await localStack(workload.catalog);
  // The warehouse loads from the bucket folder (the local Snowpipe); S3 holds the same objects.
  await stack.land(workload.objects, landedAt);
  for (const object of workload.objects) {
    await s3rver.client.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: object.key,
        Body: gzipSync(`${object.lines.join('\n')}\n`),
      }),
    );
  }
  const objects = new S3ObjectStore({ client: s3rver.client, bucket, versioned: false });
  outcome = await eraseUser(stack.deps(landedAt + 3_600_000, { objects }), {
    userId: user.id,
    source: 'cli',
  });
}, 60_000);

afterAll(async () => {
  await stack?.close();
  await s3rver?.stop();
});

describe('erasing a user from raw objects in S3 (s3rver)', () => {
  it("completes with the user's lines removed from the objects", () => {
    const counts = linesOf(workload, user);

    expect(outcome).toMatchObject({ kind: 'completed', request: { status: 'completed' } });
    expect(outcome.request.linesRemoved).toBe(counts.events + counts.rejected);
  });

  it('leaves no occurrence of the user id or its anonymous id in any object of the bucket', async () => {
    const holding = [...(await bucketContents())].filter(
      ([, text]) => text.includes(user.id) || text.includes(user.anonymousId),
    );

    expect(holding.map(([key]) => key)).toEqual([]);
  });

  it('keeps every other line of every object, in order, and leaves no staging object behind', async () => {
    const expected = withoutUser(workload, user).map((o) => [o.key, `${o.lines.join('\n')}\n`]);

    expect(Object.fromEntries(await bucketContents())).toEqual(Object.fromEntries(expected));
  });

  it('leaves no row of the user in the warehouse', async () => {
    expect(await rowsHolding(stack.warehouse, user.id)).toEqual({});
  });
});
