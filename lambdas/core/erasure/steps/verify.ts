import { type ErasureStepRun, subjectOf } from '../erasure-context.ts';
import { objectKeys, saveRequest } from '../request-store.ts';
import { forgetSubjectIndex, isClean, leftovers, verifyErasure } from '../verification.ts';

/**
 * Searches every store and records the report. Clean: the subject's entries of curated.user_index go last,
 * and the request is completed and forgets the ids in clear (the hash keeps naming it). Not clean (events of the user landed while it ran): the request goes back to
 * the objects step for another pass, and `last_error` says what was found.
 */
export const verifyStep: ErasureStepRun = async (ctx, request) => {
  const now = ctx.clock();
  const report = await verifyErasure({
    db: ctx.db,
    objects: ctx.objects,
    subject: subjectOf(request),
    scan: request.scan ?? { from: null, to: null, recentFrom: '1970-01-01', recentTo: '1970-01-01' },
    mentionKeys: request.mentionKeys,
    writtenKeys: await objectKeys(ctx.db, request.requestId),
  });
  const clean = isClean(report);
  if (clean) await forgetSubjectIndex(ctx.db, subjectOf(request));
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
