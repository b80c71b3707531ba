import type { ErasureContext } from './erasure-context.ts';
import { advanceRequest, type ErasureDeps, erasureContext, withErasureLock } from './erasure-runner.ts';
import { newRequest } from './new-request.ts';
import type { ErasureRequest, ErasureSource, VerificationReport } from './request-record.ts';
import { insertRequest, objectKeys, requestsForSubject } from './request-store.ts';
import { readSubjectFacts } from './steps/resolve.ts';
import { idHash, parseSubjectIds } from './subject.ts';
import { isClean, verifyErasure } from './verification.ts';

/** An erasure asked for by an operator (CLI) or an admin (Lambda payload). Ids are checked here. */
export interface EraseUserInput {
  readonly userId: unknown;
  readonly workspaceId?: unknown;
  readonly source: Exclude<ErasureSource, 'sweep'>;
  readonly requestedBy?: string | null;
}

export type EraseUserOutcome =
  /**
   * The request ran, created now or an open one resumed: to completion, or (objects fanned out to a queue)
   * to its objects or verify step, where it waits for the workers (`request.step` says which).
   */
  | { readonly kind: 'completed'; readonly request: ErasureRequest; readonly resumed: boolean }
  /** A completed request exists and a fresh search finds nothing: nothing was written. */
  | {
      readonly kind: 'already_erased';
      readonly request: ErasureRequest;
      readonly verification: VerificationReport;
    };

/** Searches every store for a user whose erasure completed, changing nothing. */
const reverify = async (
  ctx: ErasureContext,
  done: ErasureRequest,
  userId: string,
): Promise<VerificationReport> => {
  const base = { userId, workspaceId: done.workspaceId, anonymousIds: [] };
  const facts = await readSubjectFacts(ctx, base, ctx.clock());
  return verifyErasure({
    db: ctx.db,
    objects: ctx.objects,
    subject: { ...base, anonymousIds: facts.anonymousIds },
    scan: facts.scan,
    mentionKeys: done.mentionKeys,
    writtenKeys: await objectKeys(ctx.db, done.requestId),
  });
};

/**
 * Erases a user (in one workspace, or everywhere) now, under the erasure lock. An open request for the
 * same user and scope is resumed rather than duplicated. When an earlier request completed, every store is
 * searched again: if nothing is found the call is a no-op (`already_erased`, nothing written); if events
 * of the user arrived since, a new request erases them.
 */
export const eraseUser = async (deps: ErasureDeps, input: EraseUserInput): Promise<EraseUserOutcome> => {
  const ids = parseSubjectIds(input.userId, input.workspaceId);
  const ctx = erasureContext(deps);
  return withErasureLock(ctx, async () => {
    const previous = await requestsForSubject(ctx.db, idHash(ids.userId), ids.workspaceId);
    const open = previous.find((r) => r.status !== 'completed');
    if (open) {
      ctx.progress({ requestId: open.requestId, step: open.step, message: `resuming at step ${open.step}` });
      return {
        kind: 'completed',
        request: await advanceRequest(ctx, { ...open, userId: ids.userId }),
        resumed: true,
      };
    }
    const done = previous.find((r) => r.status === 'completed');
    if (done) {
      const verification = await reverify(ctx, done, ids.userId);
      if (isClean(verification)) return { kind: 'already_erased', request: done, verification };
    }
    const request = newRequest(
      { ...ids, source: input.source, requestedBy: input.requestedBy ?? null },
      ctx.clock(),
      ctx.settings,
    );
    await insertRequest(ctx.db, request);
    ctx.progress({
      requestId: request.requestId,
      step: request.step,
      message: `request received, due ${request.dueAt.toISOString().slice(0, 10)}`,
    });
    return { kind: 'completed', request: await advanceRequest(ctx, request), resumed: false };
  });
};
