import { toSqlTimestamp } from '#core/warehouse/time.ts';
import { readNumber, readString, readTimestamp } from '#core/warehouse/values.ts';
import { type ErasureDb, exec, query } from './erasure-db.ts';
import { type ErasureRequest, type ErasureStep, requestValues, toRequest } from './request-record.ts';

/** ops.erasure_requests, ops.erasure_steps, ops.erasure_objects and ops.erased_users, through sql/erasure. */

export const insertRequest = (db: ErasureDb, request: ErasureRequest): Promise<number> =>
  exec(db, 'requests', 'insert', requestValues(request));

/** Writes every mutable column of the request. */
export const saveRequest = (db: ErasureDb, request: ErasureRequest): Promise<number> =>
  exec(db, 'requests', 'update', requestValues(request));

/** Records why a step failed, without touching the progress the step saved. */
export const setRequestError = (db: ErasureDb, requestId: string, error: string, at: Date): Promise<number> =>
  exec(db, 'requests', 'set_error', {
    request_id: requestId,
    last_error: error,
    updated_at: toSqlTimestamp(at),
  });

export const readRequest = async (db: ErasureDb, requestId: string): Promise<ErasureRequest | null> => {
  const [row] = await query(db, 'requests', 'read', { request_id: requestId });
  return row ? toRequest(row) : null;
};

/** Requests not completed yet, oldest first. */
export const openRequests = async (db: ErasureDb): Promise<ErasureRequest[]> =>
  (await query(db, 'requests', 'open')).map(toRequest);

/** Requests for one user (by hash) and scope, newest first. */
export const requestsForSubject = async (
  db: ErasureDb,
  subjectHash: string,
  workspaceId: string | null,
): Promise<ErasureRequest[]> =>
  (await query(db, 'requests', 'by_subject', { subject_hash: subjectHash, workspace_id: workspaceId })).map(
    toRequest,
  );

/** One row of the audit log. */
export interface StepLogEntry {
  readonly requestId: string;
  readonly step: ErasureStep;
  readonly attempt: number;
  readonly startedAt: Date;
  readonly finishedAt: Date;
  readonly status: 'succeeded' | 'failed';
  readonly outcome: Readonly<Record<string, unknown>> | null;
  readonly error: string | null;
}

export const logStep = (db: ErasureDb, entry: StepLogEntry): Promise<number> =>
  exec(db, 'requests', 'insert_step', {
    request_id: entry.requestId,
    step: entry.step,
    attempt: entry.attempt,
    started_at: toSqlTimestamp(entry.startedAt),
    finished_at: toSqlTimestamp(entry.finishedAt),
    status: entry.status,
    outcome: entry.outcome === null ? null : JSON.stringify(entry.outcome),
    error: entry.error,
  });

/** Counts of the requests for the metrics: open, open past the overdue age, past their due date. */
export interface ErasureStatusCounts {
  readonly open: number;
  readonly overdue: number;
  readonly pastDue: number;
  readonly oldestOpenReceivedAt: Date | null;
}

export const statusCounts = async (
  db: ErasureDb,
  now: Date,
  overdueReceivedBefore: Date,
): Promise<ErasureStatusCounts> => {
  const [row] = await query(db, 'requests', 'status_counts', {
    now: toSqlTimestamp(now),
    overdue_received_before: toSqlTimestamp(overdueReceivedBefore),
  });
  return {
    open: readNumber(row?.open_requests) ?? 0,
    overdue: readNumber(row?.overdue_requests) ?? 0,
    pastDue: readNumber(row?.past_due_requests) ?? 0,
    oldestOpenReceivedAt: readTimestamp(row?.oldest_open_received_at),
  };
};

/** A raw object the objects step is about to write (recorded before, so a crash loses no count). */
export interface ObjectRecord {
  readonly key: string;
  readonly action: 'rewritten' | 'deleted';
  readonly linesRead: number;
  readonly linesRemoved: number;
}

export const recordObjectPending = (db: ErasureDb, requestId: string, object: ObjectRecord, at: Date) =>
  exec(db, 'objects', 'record_pending', {
    request_id: requestId,
    object_key: object.key,
    action: object.action,
    lines_read: object.linesRead,
    lines_removed: object.linesRemoved,
    recorded_at: toSqlTimestamp(at),
  });

export const markObjectDone = (db: ErasureDb, requestId: string, key: string, purged: number, at: Date) =>
  exec(db, 'objects', 'mark_done', {
    request_id: requestId,
    object_key: key,
    old_versions_purged: purged,
    done_at: toSqlTimestamp(at),
  });

export const pendingObjects = async (db: ErasureDb, requestId: string): Promise<string[]> =>
  (await query(db, 'objects', 'pending', { request_id: requestId })).map(
    (r) => readString(r.object_key) ?? '',
  );

export const objectKeys = async (db: ErasureDb, requestId: string): Promise<string[]> =>
  (await query(db, 'objects', 'keys', { request_id: requestId })).map((r) => readString(r.object_key) ?? '');

export const objectTotals = async (db: ErasureDb, requestId: string) => {
  const [row] = await query(db, 'objects', 'totals', { request_id: requestId });
  return {
    objectsRewritten: readNumber(row?.objects_rewritten) ?? 0,
    objectsDeleted: readNumber(row?.objects_deleted) ?? 0,
    linesRemoved: readNumber(row?.lines_removed) ?? 0,
  };
};

/** One entry of the suppression list. */
export interface ErasedId {
  readonly idHash: string;
  readonly kind: 'user' | 'anonymous';
  readonly workspaceId: string | null;
}

export const addErasedId = (db: ErasureDb, id: ErasedId, requestId: string, at: Date): Promise<number> =>
  exec(db, 'erased_users', 'add', {
    id_hash: id.idHash,
    id_kind: id.kind,
    workspace_id: id.workspaceId,
    request_id: requestId,
    erased_at: toSqlTimestamp(at),
  });

export const isErased = async (db: ErasureDb, id: ErasedId): Promise<boolean> => {
  const [row] = await query(db, 'erased_users', 'count', {
    id_hash: id.idHash,
    id_kind: id.kind,
    workspace_id: id.workspaceId,
  });
  return (readNumber(row?.n) ?? 0) > 0;
};
