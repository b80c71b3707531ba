import { createHash, randomUUID } from 'node:crypto';
import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { ObjectWorkItem, ObjectWorkQueue } from '#core/erasure/object-work.ts';
import { AwsAdapterError } from './errors.ts';

/** SendMessageBatch takes at most 10 entries. */
const BATCH = 10;

/** The message body of one object's work: what the worker Lambda parses back with {@link parseObjectWork}. */
export const encodeObjectWork = (item: ObjectWorkItem): string =>
  JSON.stringify({
    request_id: item.requestId,
    object_key: item.objectKey,
    ...(item.work === undefined ? {} : { work: item.work }),
  });

/** One message's body as an object work item; throws naming what is missing (the message goes to the DLQ). */
export const parseObjectWork = (body: string): ObjectWorkItem => {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (error) {
    throw new AwsAdapterError('erasure object message is not JSON', { cause: error });
  }
  const { request_id: requestId, object_key: objectKey, work } = (value ?? {}) as Record<string, unknown>;
  if (typeof requestId !== 'string' || typeof objectKey !== 'string' || requestId === '' || objectKey === '')
    throw new AwsAdapterError('erasure object message needs request_id and object_key strings');
  // No work: an erase item (the messages sent before verify items existed carry none).
  if (work === undefined) return { requestId, objectKey };
  if (work !== 'verify')
    throw new AwsAdapterError(
      `erasure object message work must be "verify" or absent, got ${JSON.stringify(work)}`,
    );
  return { requestId, objectKey, work };
};

/**
 * The erasure's objects on an SQS FIFO queue, one message per object, grouped by object key: the worker
 * Lambda takes many objects at once but never one object twice at the same time (two requests rewriting
 * the same object one after the other, never over each other). Each message is its own retry: the queue
 * redelivers a failed one and, after its redrive policy's receives, moves it to the dead-letter queue.
 * Every send is new (a random deduplication id): a repeat is harmless, the worker skips a done object.
 */
export class SqsObjectWorkQueue implements ObjectWorkQueue {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async enqueue(items: readonly ObjectWorkItem[]): Promise<void> {
    for (let at = 0; at < items.length; at += BATCH) {
      const batch = items.slice(at, at + BATCH);
      const output = await this.client.send(
        new SendMessageBatchCommand({
          QueueUrl: this.queueUrl,
          Entries: batch.map((item, i) => ({
            Id: String(i),
            MessageBody: encodeObjectWork(item),
            // Object keys may exceed the 128 characters a group id allows: the key's digest stands for it.
            MessageGroupId: createHash('sha256').update(item.objectKey).digest('hex'),
            MessageDeduplicationId: randomUUID(),
          })),
        }),
      );
      const failed = output.Failed ?? [];
      if (failed.length > 0) {
        const first = failed[0];
        throw new AwsAdapterError(
          `${failed.length} of ${batch.length} erasure object messages were not sent to ${this.queueUrl} ` +
            `(${first?.Code ?? 'unknown'}: ${first?.Message ?? ''}); the next erasure run sends the objects not done again`,
        );
      }
    }
  }
}
