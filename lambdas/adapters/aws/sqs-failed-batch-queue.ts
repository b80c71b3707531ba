import { DeleteMessageCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { FailedBatchMessage, FailedBatchQueue } from '#core/replay/ports.ts';

/**
 * The validator's failure queue on SQS. A received message stays hidden for `visibilityTimeoutSeconds`
 * (the replay Lambda's timeout), so one run never sees a message twice and a message it leaves shows
 * again for the next run.
 */
export class SqsFailedBatchQueue implements FailedBatchQueue {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
    private readonly visibilityTimeoutSeconds: number,
  ) {}

  async receive(max: number): Promise<FailedBatchMessage[]> {
    const output = await this.client.send(
      new ReceiveMessageCommand({
        QueueUrl: this.queueUrl,
        MaxNumberOfMessages: Math.max(1, Math.min(10, max)),
        VisibilityTimeout: this.visibilityTimeoutSeconds,
        WaitTimeSeconds: 1,
      }),
    );
    return (output.Messages ?? []).flatMap((m) =>
      m.ReceiptHandle === undefined ? [] : [{ receipt: m.ReceiptHandle, body: m.Body ?? '' }],
    );
  }

  async delete(message: FailedBatchMessage): Promise<void> {
    await this.client.send(
      new DeleteMessageCommand({ QueueUrl: this.queueUrl, ReceiptHandle: message.receipt }),
    );
  }
}
