import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { AwsAdapterError } from '#adapters/aws/errors.ts';
import {
  encodeObjectWork,
  parseObjectWork,
  SqsObjectWorkQueue,
} from '#adapters/aws/sqs-object-work-queue.ts';

// No SQS emulator runs in the tests: the client is stubbed at the SDK boundary, and what is checked is
// the request the adapter sends (the per-object work itself runs on the port in object-work.test.ts).
const QUEUE = 'https://sqs.eu-west-1.amazonaws.com/123456789012/tally-prod-erasure-objects.fifo';
const client = new SQSClient({
  region: 'eu-west-1',
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
});
const sqs = mockClient(client);
const items = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    requestId: 'req-1',
    objectKey: `events/dt=2026-03-12/hr=09/f-${i}.gz`,
  }));

describe('SqsObjectWorkQueue', () => {
  beforeEach(() => sqs.reset());

  it('sends one message per object, at most 10 per batch, grouped by object key', async () => {
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });

    await new SqsObjectWorkQueue(client, QUEUE).enqueue(items(23));

    const batches = sqs.commandCalls(SendMessageBatchCommand).map((c) => c.args[0].input);
    expect(batches.map((b) => b.Entries?.length)).toEqual([10, 10, 3]);
    expect(batches.every((b) => b.QueueUrl === QUEUE)).toBe(true);
    const entries = batches.flatMap((b) => b.Entries ?? []);
    expect(entries.map((e) => parseObjectWork(e.MessageBody ?? ''))).toEqual(items(23));
    // one group per object: the same key always maps to the same group, different keys to different ones
    expect(new Set(entries.map((e) => e.MessageGroupId)).size).toBe(23);
    expect(entries.every((e) => /^[0-9a-f]{64}$/.test(e.MessageGroupId ?? ''))).toBe(true);
  });

  it('fails, saying the next run sends them again, when SQS refuses part of a batch', async () => {
    sqs.on(SendMessageBatchCommand).resolves({
      Successful: [],
      Failed: [{ Id: '1', Code: 'InternalError', SenderFault: false, Message: 'try again' }],
    });

    const sent = new SqsObjectWorkQueue(client, QUEUE).enqueue(items(2));

    await expect(sent).rejects.toBeInstanceOf(AwsAdapterError);
    await expect(sent).rejects.toThrow(
      /1 of 2 erasure object messages were not sent.*InternalError.*sends the objects not done again/,
    );
  });
});

describe('parseObjectWork', () => {
  it('refuses a message without its request and object, so it goes to the dead-letter queue', () => {
    expect(() => parseObjectWork('{"request_id":"req-1"}')).toThrow(/needs request_id and object_key/);
    expect(() => parseObjectWork('not json')).toThrow(/not JSON/);
  });

  it('carries a verify item as one, and refuses work it does not know', () => {
    const verify = {
      requestId: 'req-1',
      objectKey: 'events/dt=2026-03-12/hr=09/f-0.gz',
      work: 'verify' as const,
    };

    expect(parseObjectWork(encodeObjectWork(verify))).toEqual(verify);
    expect(() =>
      parseObjectWork(
        '{"request_id":"req-1","object_key":"events/dt=2026-03-12/hr=09/f-0.gz","work":"delete"}',
      ),
    ).toThrow(/work must be "verify" or absent, got "delete"/);
  });
});
