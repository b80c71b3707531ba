import { toSqlTimestamp } from '#core/warehouse/time.ts';
import { readNumber, readString } from '#core/warehouse/values.ts';
import { type ErasureContext, subjectOf } from './erasure-context.ts';
import { exec, idList, query, startWorkItem } from './erasure-db.ts';
import { SubjectMatcher } from './line-matcher.ts';
import { scanObject } from './object-rewrite.ts';
import {
  judgeFor,
  type ObjectWorkItem,
  type ObjectWorkOutcome,
  type ObjectWorkQueue,
} from './object-work.ts';
import type { ErasureRequest } from './request-record.ts';

/**
 * The verification pass a request is at: its attempts (a pass that finds something left sends the request
 * back to the objects step and counts one more), so a new pass never counts the rows of an earlier one.
 */
export const verifyPass = (request: ErasureRequest): number => request.attempts;

/** Lists the objects of the request's verification pass (idempotent) and hands them to the queue as verify items. */
export const queueVerifyObjects = async (
  ctx: ErasureContext,
  queue: ObjectWorkQueue,
  request: ErasureRequest,
  keys: readonly string[],
): Promise<void> => {
  await exec(ctx.db, 'verify_work', 'queue', {
    request_id: request.requestId,
    verify_pass: verifyPass(request),
    object_keys: idList(keys),
    queued_at: toSqlTimestamp(ctx.clock()),
  });
  await queue.enqueue(verifyItems(request.requestId, keys));
};

/** The verify items of a request's objects (what the queue carries). */
export const verifyItems = (requestId: string, keys: readonly string[]): ObjectWorkItem[] =>
  keys.map((objectKey) => ({ requestId, objectKey, work: 'verify' as const }));

/** The objects of a verification pass: the ones still queued, and what the done ones found. */
export interface VerifyWorkStatus {
  readonly queued: readonly string[];
  readonly done: number;
  /** Done objects that still existed when searched. */
  readonly objectsScanned: number;
  /** The subject's lines the done objects still held. */
  readonly objectLines: number;
}

export const verifyWorkStatus = async (
  ctx: ErasureContext,
  request: ErasureRequest,
): Promise<VerifyWorkStatus> => {
  const rows = await query(ctx.db, 'verify_work', 'status', {
    request_id: request.requestId,
    verify_pass: verifyPass(request),
  });
  const queued: string[] = [];
  let done = 0;
  let objectsScanned = 0;
  let objectLines = 0;
  for (const row of rows) {
    if (readString(row.status) !== 'done') {
      queued.push(readString(row.object_key) ?? '');
      continue;
    }
    done += 1;
    objectsScanned += readNumber(row.found) ?? 0;
    objectLines += readNumber(row.lines_found) ?? 0;
  }
  return { queued, done, objectsScanned, objectLines };
};

const workRow = async (ctx: ErasureContext, request: ErasureRequest, objectKey: string) =>
  (
    await query(ctx.db, 'verify_work', 'object', {
      request_id: request.requestId,
      verify_pass: verifyPass(request),
      object_key: objectKey,
    })
  )[0];

/**
 * The worker's side of a verify item: searches one object for the subject's lines, changing nothing, and
 * records what it found, marked done. A second delivery of a done object is skipped (and its lines were
 * counted once); an item of a request no longer verifying is skipped. Throws when the object cannot be
 * read, so the queue retries that object alone.
 */
export const verifyObjectWork = async (
  ctx: ErasureContext,
  request: ErasureRequest | null,
  item: ObjectWorkItem,
): Promise<ObjectWorkOutcome> => {
  if (request === null || request.status !== 'in_progress' || request.step !== 'verify')
    return { outcome: 'skipped', reason: 'request_moved_on' };
  const row = await workRow(ctx, request, item.objectKey);
  if (row === undefined) return { outcome: 'skipped', reason: 'not_listed' };
  if (readString(row.status) === 'done') return { outcome: 'skipped', reason: 'done' };
  const keyed = { request_id: item.requestId, verify_pass: verifyPass(request), object_key: item.objectKey };
  await startWorkItem(ctx.db, { work_table: 'ops.erasure_verify_work', pass_column: 'verify_pass' }, keyed);
  const matcher = new SubjectMatcher(subjectOf(request));
  const scan = await scanObject(ctx.objects, item.objectKey, judgeFor(matcher, item.objectKey));
  await exec(ctx.db, 'verify_work', 'mark_done', {
    ...keyed,
    object_found: scan.exists,
    lines_found: scan.matches.length,
    done_at: toSqlTimestamp(ctx.clock()),
  });
  return { outcome: 'verified', exists: scan.exists, linesFound: scan.matches.length };
};

/** Status, attempts and lines of one object's verify row in the request's current pass (for tests and the operator). */
export const verifyWorkRow = async (ctx: ErasureContext, request: ErasureRequest, objectKey: string) => {
  const row = await workRow(ctx, request, objectKey);
  return row === undefined
    ? null
    : {
        status: readString(row.status),
        attempts: readNumber(row.attempts),
        linesFound: readNumber(row.lines_found),
      };
};
