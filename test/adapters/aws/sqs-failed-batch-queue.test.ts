import { DeleteMessageCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { SqsFailedBatchQueue } from '#adapters/aws/sqs-failed-batch-queue.ts';

// No SQS emulator runs in the tests: the client is stubbed at the SDK boundary, and what is checked
// is the request the adapter sends (the replay's own logic runs on the port in failed-batches.test.ts).
const QUEUE = 'https://sqs.eu-west-1.amazonaws.com/123456789012/tally-prod-failed-batches';
const client = new SQSClient({
  region: 'eu-west-1',
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
});
const sqs = mockClient(client);

describe('SqsFailedBatchQueue', () => {
  beforeEach(() => sqs.reset());

  it('hides what it receives for the whole replay run, asking for at most the 10 SQS allows', async () => {
    sqs.on(ReceiveMessageCommand).resolves({
      Messages: [
        { ReceiptHandle: 'r-1', Body: '{"KinesisBatchInfo":{}}' },
        { Body: 'a message without a receipt cannot be deleted: skipped' },
      ],
    });

    const messages = await new SqsFailedBatchQueue(client, QUEUE, 900).receive(50);

    expect(messages).toEqual([{ receipt: 'r-1', body: '{"KinesisBatchInfo":{}}' }]);
    expect(sqs.commandCalls(ReceiveMessageCommand)[0]!.args[0].input).toMatchObject({
      QueueUrl: QUEUE,
      MaxNumberOfMessages: 10,
      VisibilityTimeout: 900,
    });
  });

  it('deletes a replayed message by its receipt', async () => {
    sqs.on(DeleteMessageCommand).resolves({});

    await new SqsFailedBatchQueue(client, QUEUE, 900).delete({ receipt: 'r-1', body: '' });

    expect(sqs.commandCalls(DeleteMessageCommand)[0]!.args[0].input).toEqual({
      QueueUrl: QUEUE,
      ReceiptHandle: 'r-1',
    });
  });
});
