import { addDays, toSqlDate } from '#core/warehouse/time.ts';
import { readString, readTimestamp } from '#core/warehouse/values.ts';
import { type ErasureContext, type ErasureStepRun, subjectOf } from '../erasure-context.ts';
import { idList, query } from '../erasure-db.ts';
import type { ScanRange } from '../request-record.ts';
import { addErasedId, saveRequest } from '../request-store.ts';
import { type ErasureSubject, idHash } from '../subject.ts';
import { subjectRanges } from '../subject-ranges.ts';

/** What the warehouse says of a subject: its linked anonymous ids, and the partitions to read. */
export interface SubjectFacts {
  readonly anonymousIds: readonly string[];
  readonly scan: ScanRange;
}

/**
 * Reads, changing nothing, the anonymous ids the subject's own events carry (their events without a user id
 * are the subject's too) and the first and last days it was active, which bound the raw partitions to read,
 * with the most recent days added (objects there may not be loaded yet). Both come from curated.user_index
 * (and the rejected events), not from a search of raw and the fact.
 */
export const readSubjectFacts = async (
  ctx: ErasureContext,
  base: ErasureSubject,
  now: Date,
): Promise<SubjectFacts> => {
  // the user's own rows first: their loads hold the anonymous ids their events carry
  const own = await subjectRanges(ctx.db, base);
  const found: string[] = [];
  for (const load of own.loads) {
    const rows = await query(ctx.db, 'subject', 'linked_anonymous_ids', {
      user_ids: idList([base.userId]),
      workspace_id: base.workspaceId,
      load_from: load.from,
      load_to: load.to,
    });
    found.push(...rows.map((r) => readString(r.anonymous_id) ?? ''));
  }
  const anonymousIds = [...new Set([...base.anonymousIds, ...found])].filter((id) => id !== '').sort();
  const subject = { ...base, anonymousIds };
  const indexed = await subjectRanges(ctx.db, subject);
  const [rejected] = await query(ctx.db, 'subject', 'rejected_received', {
    needles: idList([subject.userId, ...anonymousIds]),
  });
  const earliest = (a: Date | null, b: Date | null) => (a && b ? (a < b ? a : b) : (a ?? b));
  const latest = (a: Date | null, b: Date | null) => (a && b ? (a > b ? a : b) : (a ?? b));
  const first = earliest(indexed.firstReceived, readTimestamp(rejected?.first_received_at));
  const last = latest(indexed.lastReceived, readTimestamp(rejected?.last_received_at));
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
