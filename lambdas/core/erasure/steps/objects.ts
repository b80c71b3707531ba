import { type ErasureContext, type ErasureStepRun, subjectOf } from '../erasure-context.ts';
import { renewErasureLock } from '../erasure-lock.ts';
import { ErasureLockedError } from '../errors.ts';
import { SubjectMatcher } from '../line-matcher.ts';
import { rewriteObject } from '../object-rewrite.ts';
import { eraseObject, judgeFor, suppressLinkedIds } from '../object-work.ts';
import { scanPartitions } from '../partitions.ts';
import type { ErasureRequest } from '../request-record.ts';
import { markObjectDone, objectTotals, pendingObjects, saveRequest } from '../request-store.ts';
import { queuedObjectsStep } from './queued-objects.ts';

/**
 * Finishes the objects a crash interrupted: recorded as pending, so written or about to be. The rewrite is
 * done again (a no-op when it was written), the old versions purged and the record marked done, keeping the
 * counts the record took from the scan before the crash.
 */
const finishPending = async (
  ctx: ErasureContext,
  request: ErasureRequest,
  matcher: SubjectMatcher,
): Promise<void> => {
  for (const key of await pendingObjects(ctx.db, request.requestId)) {
    await rewriteObject(ctx.objects, key, judgeFor(matcher, key));
    const purged = await ctx.objects.purgeOldVersions(key);
    await markObjectDone(ctx.db, request.requestId, key, purged, ctx.clock());
  }
};

/**
 * Rewrites every raw object of the scan's partitions that holds the subject: the subject's lines go,
 * every other line stays. Each object written is recorded (pending) before, and marked done once its old
 * versions are purged. The request saves its cursor after each partition, so a crash resumes at the next
 * one. A line that ties a new anonymous id to the user extends the subject and restarts the pass (earlier
 * partitions may hold that id's anonymous events).
 */
export const objectsStep: ErasureStepRun = async (ctx, start) =>
  ctx.objectQueue === undefined
    ? objectsInProcess(ctx, start)
    : queuedObjectsStep(ctx, start, ctx.objectQueue);

const objectsInProcess: ErasureStepRun = async (ctx, start) => {
  let request = start;
  let matcher = new SubjectMatcher(subjectOf(request));
  await finishPending(ctx, request, matcher);
  const partitions = request.scan ? scanPartitions(request.scan) : [];
  let index =
    request.objectsCursor === null ? 0 : partitions.findIndex((p) => p.path === request.objectsCursor) + 1;
  let scanned = index === 0 ? 0 : request.objectsScanned;
  while (index < partitions.length) {
    const partition = partitions[index]!;
    if (!(await renewErasureLock(ctx.lock, ctx.clock())))
      throw new ErasureLockedError(ctx.lock.owner, 'lost');
    const linked = new Set(request.anonymousIds ?? []);
    const mentions = new Set(request.mentionKeys);
    let removed = 0;
    for (const key of await ctx.objects.list(partition.path)) {
      const erased = await eraseObject(ctx, request.requestId, matcher, key);
      scanned += 1;
      removed += erased.linesRemoved;
      for (const id of erased.linkedIds) linked.add(id);
      for (const key of erased.mentionKeys) mentions.add(key);
    }
    const newIds = [...linked].filter((id) => !(request.anonymousIds ?? []).includes(id)).sort();
    await suppressLinkedIds(ctx, request, newIds);
    const restart = newIds.length > 0;
    request = {
      ...request,
      anonymousIds: [...linked].sort(),
      mentionKeys: [...mentions].sort(),
      objectsCursor: restart ? null : partition.path,
      objectsScanned: restart ? 0 : scanned,
      updatedAt: ctx.clock(),
    };
    await saveRequest(ctx.db, request);
    ctx.progress({
      requestId: request.requestId,
      step: 'objects',
      message: restart
        ? `${partition.path}: ${newIds.length} more linked anonymous id(s); scanning the partitions again`
        : `${partition.path}: ${removed} line(s) removed`,
    });
    if (restart) {
      matcher = new SubjectMatcher(subjectOf(request));
      index = 0;
      scanned = 0;
    } else {
      index += 1;
    }
  }
  const totals = await objectTotals(ctx.db, request.requestId);
  const now = ctx.clock();
  const next = {
    ...request,
    ...totals,
    objectsScanned: scanned,
    objectsDoneAt: now,
    step: 'warehouse' as const,
    updatedAt: now,
  };
  await saveRequest(ctx.db, next);
  ctx.progress({
    requestId: request.requestId,
    step: 'objects',
    message: `${scanned} object(s) read, ${totals.objectsRewritten} rewritten, ${totals.objectsDeleted} deleted, ${totals.linesRemoved} line(s) removed`,
  });
  return next;
};
