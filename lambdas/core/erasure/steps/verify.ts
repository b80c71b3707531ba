import { type ErasureContext, type ErasureStepRun, subjectOf } from '../erasure-context.ts';
import { exec } from '../erasure-db.ts';
import type { ObjectWorkQueue } from '../object-work.ts';
import { listScanObjects } from '../partitions.ts';
import type { ErasureRequest, VerificationReport } from '../request-record.ts';
import { objectKeys, saveRequest } from '../request-store.ts';
import {
  forgetSubjectIndex,
  isClean,
  leftovers,
  type VerificationInput,
  verificationReport,
  verifyErasure,
  verifyStores,
} from '../verification.ts';
import { queueVerifyObjects, verifyItems, verifyWorkStatus } from '../verify-work.ts';

/**
 * Searches every store and records the report. Clean: the subject's entries of curated.user_index go last,
 * and the request is completed and forgets the ids in clear (the hash keeps naming it). Not clean (events of the user landed while it ran): the request goes back to
 * the objects step for another pass, and `last_error` says what was found.
 * With a queue (AWS), the raw objects are searched by its workers, one item each, as the objects step
 * erases them: the step waits (the request stays at `verify`) until every object of the pass is searched,
 * then checks the other stores itself and adds up what the workers found.
 */
export const verifyStep: ErasureStepRun = async (ctx, request) => {
  const input: VerificationInput = {
    db: ctx.db,
    objects: ctx.objects,
    subject: subjectOf(request),
    scan: request.scan ?? { from: null, to: null, recentFrom: '1970-01-01', recentTo: '1970-01-01' },
    mentionKeys: request.mentionKeys,
    writtenKeys: await objectKeys(ctx.db, request.requestId),
  };
  if (ctx.objectQueue === undefined) return conclude(ctx, request, await verifyErasure(input));
  const objects = await queuedObjectSearch(ctx, request, input, ctx.objectQueue);
  if (objects === 'waiting') return request;
  return conclude(ctx, request, verificationReport(await verifyStores(input), objects));
};

/**
 * The search of the raw objects fanned out: lists the objects of the scan's partitions (those landed since
 * the objects step included) once per verification pass, one row each in ops.erasure_verify_work, and hands
 * each to the queue as a verify item. A later run hands over again the objects still queued (a done one is
 * skipped by its worker). Returns what the workers found once all are done.
 */
const queuedObjectSearch = async (
  ctx: ErasureContext,
  request: ErasureRequest,
  input: VerificationInput,
  queue: ObjectWorkQueue,
): Promise<Pick<VerificationReport, 'objectsScanned' | 'objectLines'> | 'waiting'> => {
  const say = (message: string) => ctx.progress({ requestId: request.requestId, step: 'verify', message });
  let status = await verifyWorkStatus(ctx, request);
  if (status.queued.length + status.done === 0) {
    const keys = await listScanObjects(ctx.objects, input.scan);
    await queueVerifyObjects(ctx, queue, request, keys);
    say(`${keys.length} object(s) queued for verification`);
  } else if (status.queued.length > 0) {
    await queue.enqueue(verifyItems(request.requestId, status.queued));
    say(`${status.queued.length} object(s) not verified yet, queued again`);
  }
  status = await verifyWorkStatus(ctx, request);
  if (status.queued.length > 0) {
    say(
      `waiting for ${status.queued.length} of ${status.queued.length + status.done} object(s) to be verified`,
    );
    return 'waiting';
  }
  return { objectsScanned: status.objectsScanned, objectLines: status.objectLines };
};

/** Completes the request on a clean report, or sends it back to the objects step for another pass. */
const conclude = async (
  ctx: ErasureContext,
  request: ErasureRequest,
  report: VerificationReport,
): Promise<ErasureRequest> => {
  const now = ctx.clock();
  const clean = isClean(report);
  if (clean) await forgetSubjectIndex(ctx.db, subjectOf(request));
  // The objects step's next pass (through the queue) lists the objects anew, those landed since included.
  else await exec(ctx.db, 'object_work', 'forget', { request_id: request.requestId });
  const next = clean
    ? {
        ...request,
        verification: report,
        verifiedAt: now,
        status: 'completed' as const,
        step: 'done' as const,
        completedAt: now,
        userId: null,
        anonymousIds: null,
        lastError: null,
        updatedAt: now,
      }
    : {
        ...request,
        verification: report,
        attempts: request.attempts + 1,
        step: 'objects' as const,
        objectsCursor: null,
        lastError: `verification found data left: ${leftovers(report)}`,
        updatedAt: now,
      };
  await saveRequest(ctx.db, next);
  ctx.progress({
    requestId: request.requestId,
    step: 'verify',
    message: clean
      ? `verified: nothing left in ${Object.keys(report.tables).length} table(s), ${report.objectsScanned} object(s), old versions and rejected records; completed`
      : `${next.lastError}; another pass follows`,
  });
  return next;
};
