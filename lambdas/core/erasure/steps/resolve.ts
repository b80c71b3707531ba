import { addDays, toSqlDate } from '#core/warehouse/time.ts';
import { readString, readTimestamp } from '#core/warehouse/values.ts';
import { type ErasureContext, type ErasureStepRun, subjectOf } from '../erasure-context.ts';
import { idList, query } from '../erasure-db.ts';
import type { ScanRange } from '../request-record.ts';
import { addErasedId, saveRequest } from '../request-store.ts';
import { type ErasureSubject, idHash, userKeys } from '../subject.ts';

/** What the warehouse says of a subject: its linked anonymous ids, and the partitions to read. */
export interface SubjectFacts {
  readonly anonymousIds: readonly string[];
  readonly scan: ScanRange;
}

/**
 * Reads, changing nothing, the anonymous ids the subject's own events carry (their events without a user id
 * are the subject's too) and the first and last days it was active, which bound the raw partitions to read,
 * with the most recent days added (objects there may not be loaded yet).
 */
export const readSubjectFacts = async (
  ctx: ErasureContext,
  base: ErasureSubject,
  now: Date,
): Promise<SubjectFacts> => {
  const found = await query(ctx.db, 'subject', 'linked_anonymous_ids', {
    user_ids: idList([base.userId]),
    workspace_id: base.workspaceId,
  });
  const anonymousIds = [
    ...new Set([...base.anonymousIds, ...found.map((r) => readString(r.anonymous_id) ?? '')]),
  ]
    .filter((id) => id !== '')
    .sort();
  const subject = { ...base, anonymousIds };
  const [bounds] = await query(ctx.db, 'subject', 'activity', {
    user_ids: idList([subject.userId]),
    anonymous_ids: idList(anonymousIds),
    user_keys: idList(userKeys(subject)),
    needles: idList([subject.userId, ...anonymousIds]),
    workspace_id: subject.workspaceId,
  });
  const first = readTimestamp(bounds?.first_received_at);
  const last = readTimestamp(bounds?.last_received_at);
  return {
    anonymousIds,
    scan: {
      // A file is partitioned by the arrival of its oldest line: one day of margin on each side.
      from: first ? toSqlDate(addDays(first, -1)) : null,
      to: last ? toSqlDate(addDays(last, 1)) : null,
      recentFrom: toSqlDate(addDays(now, 1 - ctx.settings.recentDays)),
      recentTo: toSqlDate(now),
    },
  };
};

/**
 * Resolves the subject before anything is deleted ({@link readSubjectFacts}) and puts its anonymous ids on
 * the suppression list.
 */
export const resolveStep: ErasureStepRun = async (ctx, request) => {
  const now = ctx.clock();
  const { anonymousIds, scan } = await readSubjectFacts(ctx, subjectOf(request), now);
  for (const id of anonymousIds) {
    await addErasedId(
      ctx.db,
      { idHash: idHash(id), kind: 'anonymous', workspaceId: request.workspaceId },
      request.requestId,
      now,
    );
  }
  const next = {
    ...request,
    anonymousIds,
    scan,
    objectsCursor: null,
    step: 'objects' as const,
    updatedAt: now,
  };
  await saveRequest(ctx.db, next);
  ctx.progress({
    requestId: request.requestId,
    step: 'resolve',
    message:
      `${anonymousIds.length} linked anonymous id(s); ` +
      (scan.from ? `active ${scan.from} .. ${scan.to}` : 'no activity in the warehouse') +
      `; recent ${scan.recentFrom} .. ${scan.recentTo}`,
  });
  return next;
};
