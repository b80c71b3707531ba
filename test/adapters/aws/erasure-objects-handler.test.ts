import { createObjectWorkHandler } from '#adapters/aws/erasure-objects-handler.ts';
import type { ObjectWorkItem, ObjectWorkOutcome } from '#core/erasure/object-work.ts';

const message = (id: string, key: string) => ({
  messageId: id,
  body: JSON.stringify({ request_id: 'req-1', object_key: key }),
});
const logger = { info: () => undefined, error: () => undefined };

describe('the erasure object worker', () => {
  it('reports a failed object and every message after it for retry (FIFO order), none before', async () => {
    const worked: string[] = [];
    const handler = createObjectWorkHandler(async (item: ObjectWorkItem): Promise<ObjectWorkOutcome> => {
      if (item.objectKey === 'b') throw new Error('S3 read timed out');
      worked.push(item.objectKey);
      return { outcome: 'skipped', reason: 'done' };
    }, logger);

    const response = await handler({ Records: [message('1', 'a'), message('2', 'b'), message('3', 'c')] });

    expect(worked).toEqual(['a']);
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: '2' }, { itemIdentifier: '3' }] });
  });

  it('hands a verify item over as one and logs what it found, counts only', async () => {
    const logged: Record<string, unknown>[] = [];
    const handler = createObjectWorkHandler(
      async (item: ObjectWorkItem): Promise<ObjectWorkOutcome> => {
        expect(item).toEqual({ requestId: 'req-1', objectKey: 'a', work: 'verify' });
        return { outcome: 'verified', exists: true, linesFound: 2 };
      },
      { ...logger, info: (_message, attributes) => void logged.push(attributes) },
    );

    const response = await handler({
      Records: [
        { messageId: '1', body: JSON.stringify({ request_id: 'req-1', object_key: 'a', work: 'verify' }) },
      ],
    });

    expect(response).toEqual({ batchItemFailures: [] });
    expect(logged).toEqual([
      { requestId: 'req-1', objectKey: 'a', verified: true, objectFound: true, linesFound: 2 },
    ]);
  });

  it('retries a message it cannot parse, so the queue moves it to the dead-letter queue', async () => {
    const handler = createObjectWorkHandler(async () => ({ outcome: 'skipped', reason: 'done' }), logger);

    const response = await handler({ Records: [{ messageId: '9', body: '{}' }] });

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: '9' }] });
  });
});
