import type { ErasureContext } from '../erasure-context.ts';
import { type ObjectWorkQueue, objectWorkStatus, queueObjects, suppressLinkedIds } from '../object-work.ts';
import { listScanObjects } from '../partitions.ts';
import type { ErasureRequest } from '../request-record.ts';
import { objectTotals, saveRequest } from '../request-store.ts';

/**
 * The objects step fanned out: lists the objects of the scan's partitions once (one row each in
 * ops.erasure_object_work, its own cursor) and hands each to the queue, whose workers erase them one by
 * one, each retried on its own; then waits (the request stays at `objects`, and the run goes on with other
 * requests) until every object is done. A later run hands over again the objects still queued (a message
 * lost or dead-lettered: a done object is skipped by its worker), and once all are done merges what they
 * found: a newly linked anonymous id queues every object again for another pass, as the in-process step
 * restarts its scan; otherwise the request moves on to the warehouse step.
 */
export const queuedObjectsStep = async (
  ctx: ErasureContext,
  start: ErasureRequest,
  queue: ObjectWorkQueue,
): Promise<ErasureRequest> => {
  const say = (message: string) => ctx.progress({ requestId: start.requestId, step: 'objects', message });
  let request = start;
  let status = await objectWorkStatus(ctx, request.requestId);
  if (status.queued.length + status.done.length === 0) {
    const keys = await listScanObjects(ctx.objects, request.scan);
    await queueObjects(ctx, queue, request.requestId, keys);
    say(`${keys.length} object(s) queued`);
  } else if (status.queued.length > 0) {
    await queue.enqueue(status.queued.map((objectKey) => ({ requestId: request.requestId, objectKey })));
    say(`${status.queued.length} object(s) not done yet, queued again`);
  }
  for (;;) {
    status = await objectWorkStatus(ctx, request.requestId);
    if (status.queued.length > 0) {
      say(`waiting for ${status.queued.length} of ${status.queued.length + status.done.length} object(s)`);
      return request;
    }
    const known = new Set(request.anonymousIds ?? []);
    const newIds = status.linkedIds.filter((id) => !known.has(id));
    if (newIds.length === 0) break;
    await suppressLinkedIds(ctx, request, newIds);
    request = {
      ...request,
      anonymousIds: [...known, ...newIds].sort(),
      updatedAt: ctx.clock(),
    };
    await saveRequest(ctx.db, request);
    say(`${newIds.length} more linked anonymous id(s); every object queued again`);
    await queueObjects(ctx, queue, request.requestId, status.done, 'again');
  }
  const totals = await objectTotals(ctx.db, request.requestId);
  const now = ctx.clock();
  const next: ErasureRequest = {
    ...request,
    ...totals,
    mentionKeys: [...new Set([...request.mentionKeys, ...status.mentionKeys])].sort(),
    objectsScanned: status.done.length,
    objectsDoneAt: now,
    step: 'warehouse',
    updatedAt: now,
  };
  await saveRequest(ctx.db, next);
  say(
    `${status.done.length} object(s) read, ${totals.objectsRewritten} rewritten, ${totals.objectsDeleted} deleted, ${totals.linesRemoved} line(s) removed`,
  );
  return next;
};
