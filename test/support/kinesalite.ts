import {
  CreateStreamCommand,
  DescribeStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  KinesisClient,
} from '@aws-sdk/client-kinesis';
// A dependency of every AWS SDK client (not declared in package.json): the only way to choose HTTP/1.1.
import { NodeHttpHandler } from '@smithy/node-http-handler';

/** A kinesalite server listening on 127.0.0.1 and a client pointed at it. */
export interface RunningKinesalite {
  readonly endpoint: string;
  /** A real KinesisClient with dummy credentials, talking to this server only. */
  readonly client: KinesisClient;
  stop(): Promise<void>;
}

/**
 * Starts an in-memory kinesalite on a free port of 127.0.0.1 with instant stream creation.
 * Call `stop()` in `afterAll`: it closes the client and the server.
 */
export const startKinesalite = async (): Promise<RunningKinesalite> => {
  const kinesalite = (await import('kinesalite')).default;
  const server = kinesalite({ createStreamMs: 0, deleteStreamMs: 0, updateStreamMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('kinesalite is not listening on TCP');
  const endpoint = `http://127.0.0.1:${address.port}`;
  const client = new KinesisClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
    // The Kinesis client speaks HTTP/2 by default (for SubscribeToShard); kinesalite only HTTP/1.1.
    requestHandler: new NodeHttpHandler(),
  });
  return {
    endpoint,
    client,
    stop: async () => {
      client.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
};

/** Creates a stream and waits until it is ACTIVE. */
export const createStream = async (
  client: KinesisClient,
  streamName: string,
  shardCount = 1,
): Promise<void> => {
  await client.send(new CreateStreamCommand({ StreamName: streamName, ShardCount: shardCount }));
  for (let attempt = 0; attempt < 100; attempt++) {
    const { StreamDescription } = await client.send(new DescribeStreamCommand({ StreamName: streamName }));
    if (StreamDescription?.StreamStatus === 'ACTIVE') return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`stream ${streamName} did not become ACTIVE`);
};

/** A record as read back from the stream. */
export interface ReadRecord {
  readonly shardId: string;
  readonly partitionKey: string;
  readonly data: Uint8Array;
}

/**
 * Reads every record of every shard from TRIM_HORIZON until a shard returns no more records.
 * Records come shard by shard, in sequence order within a shard.
 */
export const readStream = async (client: KinesisClient, streamName: string): Promise<ReadRecord[]> => {
  const { StreamDescription } = await client.send(new DescribeStreamCommand({ StreamName: streamName }));
  const records: ReadRecord[] = [];
  for (const shard of StreamDescription?.Shards ?? []) {
    const shardId = shard.ShardId!;
    let { ShardIterator: iterator } = await client.send(
      new GetShardIteratorCommand({
        StreamName: streamName,
        ShardId: shardId,
        ShardIteratorType: 'TRIM_HORIZON',
      }),
    );
    while (iterator) {
      const page = await client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 10_000 }));
      const got = page.Records ?? [];
      for (const record of got) {
        records.push({ shardId, partitionKey: record.PartitionKey!, data: record.Data! });
      }
      if (got.length === 0) break;
      iterator = page.NextShardIterator;
    }
  }
  return records;
};
