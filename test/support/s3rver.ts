import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';

/** The slice of s3rver's API the tests use (it ships no types). */
interface S3rverServer {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
}
type S3rverConstructor = new (options: {
  address: string;
  port: number;
  directory: string;
  silent: boolean;
}) => S3rverServer;

/** An s3rver on 127.0.0.1 and a client pointed at it. */
export interface RunningS3rver {
  readonly endpoint: string;
  /** A real S3Client with s3rver's fixed credentials, path-style addressing, talking to this server only. */
  readonly client: S3Client;
  /** Creates a bucket and returns its name. */
  createBucket(name?: string): Promise<string>;
  stop(): Promise<void>;
}

/**
 * Starts s3rver in-process on a free port of 127.0.0.1, storing objects in a fresh temp folder.
 * s3rver has no versioning: version handling is specified against the exact S3 commands instead.
 * Call `stop()` in `afterAll`: it closes the client and the server and removes the folder.
 */
export const startS3rver = async (): Promise<RunningS3rver> => {
  const S3rver = createRequire(import.meta.url)('s3rver') as S3rverConstructor;
  const directory = await mkdtemp(join(tmpdir(), 'tally-s3rver-'));
  const server = new S3rver({ address: '127.0.0.1', port: 0, directory, silent: true });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    // s3rver predates S3's default CRC checksums.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: 1,
  });
  let buckets = 0;
  return {
    endpoint,
    client,
    createBucket: async (name = `tally-test-${++buckets}`) => {
      await client.send(new CreateBucketCommand({ Bucket: name }));
      return name;
    },
    stop: async () => {
      client.destroy();
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
};
