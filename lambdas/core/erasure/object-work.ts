import { RAW_PREFIXES } from '#core/contract/bucket-layout.ts';
import { toSqlTimestamp } from '#core/warehouse/time.ts';
import { readNumber, readString } from '#core/warehouse/values.ts';
import { type ErasureContext, subjectOf } from './erasure-context.ts';
import { exec, idList, query, startWorkItem } from './erasure-db.ts';
import { SubjectMatcher } from './line-matcher.ts';
import { rewriteObject } from './object-rewrite.ts';
import type { ErasureRequest } from './request-record.ts';
import { addErasedId, markObjectDone, readRequest, recordObjectPending } from './request-store.ts';
import { idHash } from './subject.ts';
import { verifyObjectWork } from './verify-work.ts';

/** One raw object of one request: the unit an erasure fans out (one queue message each on AWS). */
export interface ObjectWorkItem {
  readonly requestId: string;
  readonly objectKey: string;
  /** verify: search the object for the subject's lines, changing nothing (the verify step); unset: erase them. */
  readonly work?: 'verify';
}

/**
 * Hands objects to workers that run {@link processObjectWork} on each, each retried on its own. Adapters:
 * an SQS FIFO queue grouped by object key (`#adapters/aws/sqs-object-work-queue.ts`: objects in parallel,
 * one object never by two workers at once) and an in-process one that works each object as it is handed
 * over (local mode and the CLI, `inProcessObjectWork`).
 */
export interface ObjectWorkQueue {
  enqueue(items: readonly ObjectWorkItem[]): Promise<void>;
}

/** What erasing the subject from one object found. */
export interface ObjectErased {
  readonly action: 'unchanged' | 'rewritten' | 'deleted';
  readonly linesRemoved: number;
  /** Anonymous ids the subject's own lines carry. */
  readonly linkedIds: readonly string[];
  /** dedup_keys of events that only mention the user. */
  readonly mentionKeys: readonly string[];
}

/** Which of an object's lines are the subject's: a rejected record or a validated event, by the object's prefix. */
export const judgeFor = (matcher: SubjectMatcher, key: string) =>
  key.startsWith(RAW_PREFIXES.rejected)
    ? (t: string) => matcher.rejectedLine(t)
    : (t: string) => matcher.eventLine(t);

/**
 * Removes the subject's lines from one object: recorded in ops.erasure_objects (pending) before it is
 * written, marked done once its old versions are purged. An object recorded pending by a run that crashed
 * is finished the same way (the rewrite finds nothing more to remove; the record keeps its counts).
 */
export const eraseObject = async (
  ctx: ErasureContext,
  requestId: string,
  matcher: SubjectMatcher,
  key: string,
  /** A retry of this object: a write recorded before a crash is finished even when nothing is left to remove. */
  retry = false,
): Promise<ObjectErased> => {
  const result = await rewriteObject(ctx.objects, key, judgeFor(matcher, key), (scan, action) =>
    recordObjectPending(
      ctx.db,
      requestId,
      { key, action, linesRead: scan.lines, linesRemoved: scan.matches.length },
      ctx.clock(),
    ).then(() => undefined),
  );
  if (result.action !== 'unchanged' || retry) {
    const purged = await ctx.objects.purgeOldVersions(key);
    await markObjectDone(ctx.db, requestId, key, purged, ctx.clock());
  }
  const linked = new Set<string>();
  const mentions = new Set<string>();
  for (const match of result.matches) {
    if (match.linkedAnonymousId !== null) linked.add(match.linkedAnonymousId);
    if (match.by === 'mention' && match.dedupKey !== null) mentions.add(match.dedupKey);
  }
  return {
    action: result.action,
    linesRemoved: result.action === 'unchanged' ? 0 : result.matches.length,
    linkedIds: [...linked].sort(),
    mentionKeys: [...mentions].sort(),
  };
};

/** Puts anonymous ids newly linked to the request's user on the suppression list (their late events too). */
export const suppressLinkedIds = async (
  ctx: ErasureContext,
  request: ErasureRequest,
  ids: readonly string[],
): Promise<void> => {
  for (const id of ids) {
    await addErasedId(
      ctx.db,
      { idHash: idHash(id), kind: 'anonymous', workspaceId: request.workspaceId },
      request.requestId,
      ctx.clock(),
    );
  }
};

/**
 * Hands objects of a request to the queue, recording them first: `first` lists the pass's objects
 * (idempotent); `again` puts every object of the request back for another pass (the subject gained linked
 * ids), `keys` being those objects.
 */
export const queueObjects = async (
  ctx: ErasureContext,
  queue: ObjectWorkQueue,
  requestId: string,
  keys: readonly string[],
  pass: 'first' | 'again' = 'first',
): Promise<void> => {
  const queuedAt = toSqlTimestamp(ctx.clock());
  await (pass === 'first'
    ? exec(ctx.db, 'object_work', 'queue', {
        request_id: requestId,
        object_keys: idList(keys),
        queued_at: queuedAt,
      })
    : exec(ctx.db, 'object_work', 'requeue', { request_id: requestId, queued_at: queuedAt }));
  await queue.enqueue(keys.map((objectKey) => ({ requestId, objectKey })));
};

/** Every object of the request's current pass: queued ones, and what the done ones found. */
export interface ObjectWorkStatus {
  readonly queued: readonly string[];
  readonly done: readonly string[];
  readonly linkedIds: readonly string[];
  readonly mentionKeys: readonly string[];
}

const ids = (value: unknown): string[] => {
  const parsed: unknown = typeof value === 'string' ? JSON.parse(value) : value;
  return Array.isArray(parsed) ? parsed.map((e) => String((e as { id?: unknown }).id)) : [];
};

export const objectWorkStatus = async (ctx: ErasureContext, requestId: string): Promise<ObjectWorkStatus> => {
  const rows = await query(ctx.db, 'object_work', 'status', { request_id: requestId });
  const queued: string[] = [];
  const done: string[] = [];
  const linked = new Set<string>();
  const mentions = new Set<string>();
  for (const row of rows) {
    const key = readString(row.object_key) ?? '';
    if (readString(row.status) === 'done') {
      done.push(key);
      for (const id of ids(row.linked_ids)) linked.add(id);
      for (const id of ids(row.mention_keys)) mentions.add(id);
    } else {
      queued.push(key);
    }
  }
  return { queued, done, linkedIds: [...linked].sort(), mentionKeys: [...mentions].sort() };
};

/** What a worker did with one delivered object. */
export type ObjectWorkOutcome =
  | { readonly outcome: 'erased'; readonly erased: ObjectErased }
  /** A verify item: whether the object still existed and how many of the subject's lines it holds. */
  | { readonly outcome: 'verified'; readonly exists: boolean; readonly linesFound: number }
  /** The object was done already (a redelivery), or its request is no longer at its objects step. */
  | { readonly outcome: 'skipped'; readonly reason: 'done' | 'not_listed' | 'request_moved_on' };

/**
 * The worker: erases the request's subject from one object and marks it done with what it found. Safe to
 * deliver twice (a done object is skipped) and to retry after a crash mid-object (the object's own
 * pending record is finished; no other object is touched). Throws when the object cannot be read or
 * written, so the queue retries that object alone. A verify item is searched instead, changing nothing
 * (verify-work.ts).
 */
export const processObjectWork = async (
  ctx: ErasureContext,
  item: ObjectWorkItem,
): Promise<ObjectWorkOutcome> => {
  if (item.work === 'verify') return verifyObjectWork(ctx, await readRequest(ctx.db, item.requestId), item);
  const row = await workRow(ctx, item);
  if (row === undefined) return { outcome: 'skipped', reason: 'not_listed' };
  if (readString(row.status) === 'done') return { outcome: 'skipped', reason: 'done' };
  const request: ErasureRequest | null = await readRequest(ctx.db, item.requestId);
  if (request === null || request.status !== 'in_progress' || request.step !== 'objects')
    return { outcome: 'skipped', reason: 'request_moved_on' };
  const retry = (readNumber(row.attempts) ?? 0) > 0;
  await startWorkItem(
    ctx.db,
    { work_table: 'ops.erasure_object_work' },
    { request_id: item.requestId, object_key: item.objectKey },
  );
  const matcher = new SubjectMatcher(subjectOf(request));
  const erased = await eraseObject(ctx, item.requestId, matcher, item.objectKey, retry);
  await exec(ctx.db, 'object_work', 'mark_done', {
    request_id: item.requestId,
    object_key: item.objectKey,
    lines_removed: erased.linesRemoved,
    linked_ids: idList(erased.linkedIds),
    mention_keys: idList(erased.mentionKeys),
    done_at: toSqlTimestamp(ctx.clock()),
  });
  return { outcome: 'erased', erased };
};

/** One object's row of ops.erasure_object_work, if the request lists it. */
const workRow = async (ctx: ErasureContext, item: ObjectWorkItem) =>
  (
    await query(ctx.db, 'object_work', 'object', { request_id: item.requestId, object_key: item.objectKey })
  )[0];

/** Attempts and pass of one object's work row (for tests and the operator). */
export const objectWorkRow = async (ctx: ErasureContext, item: ObjectWorkItem) => {
  const row = await workRow(ctx, item);
  return row === undefined
    ? null
    : { status: readString(row.status), pass: readNumber(row.pass), attempts: readNumber(row.attempts) };
};

/**
 * The in-process queue of local mode and the tests: works each object (erase or verify item) as it is
 * handed over, one after the other. A failing object is left queued (and the error thrown), as a queue would retry it later.
 */
export const inProcessObjectWork = (ctx: () => ErasureContext): ObjectWorkQueue => ({
  enqueue: async (items) => {
    for (const item of items) await processObjectWork(ctx(), item);
  },
});
