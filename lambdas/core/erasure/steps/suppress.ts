import type { ErasureStepRun } from '../erasure-context.ts';
import { addErasedId, saveRequest } from '../request-store.ts';

/**
 * Puts the user on the suppression list first, so events arriving while (and after) the erasure runs are
 * caught by staging and the sweep.
 */
export const suppressStep: ErasureStepRun = async (ctx, request) => {
  const now = ctx.clock();
  await addErasedId(
    ctx.db,
    { idHash: request.subjectHash, kind: 'user', workspaceId: request.workspaceId },
    request.requestId,
    now,
  );
  const next = { ...request, suppressedAt: now, step: 'resolve' as const, updatedAt: now };
  await saveRequest(ctx.db, next);
  ctx.progress({ requestId: request.requestId, step: 'suppress', message: 'added to the suppression list' });
  return next;
};
