import type { ObjectWorkItem, ObjectWorkOutcome } from '#core/erasure/object-work.ts';
import { parseObjectWork } from './sqs-object-work-queue.ts';

/** The slice of an SQS event the worker reads. */
export interface ObjectWorkEvent {
  readonly Records: readonly { readonly messageId: string; readonly body: string }[];
}

export interface ObjectWorkBatchResponse {
  readonly batchItemFailures: { readonly itemIdentifier: string }[];
}

/** The slice of a logger the worker needs (Powertools Logger fits). */
export interface ObjectWorkLogger {
  info(message: string, attributes: Record<string, unknown>): void;
  error(message: string, attributes: Record<string, unknown>): void;
}

/**
 * The erasure object worker's handler (SQS FIFO event source, `lambdas/handlers/erasure-objects.ts`): each
 * message is one object of one request, erased (or, a verify item, searched) by `process` (processObjectWork). A message that fails is
 * reported as a batch item failure with every message after it (FIFO: a group's order must hold), so the
 * queue retries exactly those, and moves one that keeps failing to the dead-letter queue. Logs carry the
 * request id, the object key and counts only.
 */
export const createObjectWorkHandler =
  (process: (item: ObjectWorkItem) => Promise<ObjectWorkOutcome>, logger: ObjectWorkLogger) =>
  async (event: ObjectWorkEvent): Promise<ObjectWorkBatchResponse> => {
    const records = event.Records;
    for (const [index, record] of records.entries()) {
      try {
        const item = parseObjectWork(record.body);
        const result = await process(item);
        logger.info('erasure object', {
          requestId: item.requestId,
          objectKey: item.objectKey,
          ...(result.outcome === 'erased'
            ? { action: result.erased.action, linesRemoved: result.erased.linesRemoved }
            : result.outcome === 'verified'
              ? { verified: true, objectFound: result.exists, linesFound: result.linesFound }
              : { skipped: result.reason }),
        });
      } catch (error) {
        logger.error('erasure object failed; the queue retries it', {
          messageId: record.messageId,
          error: error instanceof Error ? error.message : String(error),
        });
        return { batchItemFailures: records.slice(index).map((r) => ({ itemIdentifier: r.messageId })) };
      }
    }
    return { batchItemFailures: [] };
  };
