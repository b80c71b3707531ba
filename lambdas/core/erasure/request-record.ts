import type { Row } from '#core/warehouse/ports.ts';
import type { SqlValues } from '#core/warehouse/sql-exec.ts';
import { toSqlTimestamp } from '#core/warehouse/time.ts';
import { readNumber, readString, readTimestamp } from '#core/warehouse/values.ts';

/** Steps of an erasure, in order; each is idempotent, and a request resumes at the step it records. */
export const ERASURE_STEPS = ['suppress', 'resolve', 'objects', 'warehouse', 'verify', 'done'] as const;
export type ErasureStep = (typeof ERASURE_STEPS)[number];

/** Who asked: the CLI, the admin payload of the Lambda, or the sweep (late events of an erased user). */
export type ErasureSource = 'cli' | 'admin' | 'sweep';

/** What the verification found left, per store; completion needs every count at 0. */
export interface VerificationReport {
  /** Rows per user-level table (`schema.table`). */
  readonly tables: Readonly<Record<string, number>>;
  /** raw.rejected_events rows whose record text still holds the subject. */
  readonly rejectedRecords: number;
  /** Rows of events that only mentioned the user. */
  readonly mentionRows: number;
  readonly objectsScanned: number;
  /** Lines of the raw objects still holding the subject. */
  readonly objectLines: number;
  /** Noncurrent versions still kept of the objects the erasure rewrote. */
  readonly oldVersions: number;
  /** Whether the suppression list holds the user. */
  readonly suppressed: boolean;
}

/** Days of dt= partitions the objects step covers: the subject's activity, and the recent days. */
export interface ScanRange {
  /** `YYYY-MM-DD`, inclusive; null when the warehouse knows no activity of the subject. */
  readonly from: string | null;
  readonly to: string | null;
  readonly recentFrom: string;
  readonly recentTo: string;
}

/** One row of ops.erasure_requests. */
export interface ErasureRequest {
  readonly requestId: string;
  readonly subjectHash: string;
  /** The user id in clear while the request is open; null once completed. */
  readonly userId: string | null;
  readonly workspaceId: string | null;
  readonly source: ErasureSource;
  readonly requestedBy: string | null;
  readonly receivedAt: Date;
  readonly dueAt: Date;
  readonly status: 'in_progress' | 'completed';
  readonly step: ErasureStep;
  /** Verification passes that found something left. */
  readonly attempts: number;
  /** Linked anonymous ids (clear) once resolved; null before, and once completed. */
  readonly anonymousIds: readonly string[] | null;
  /** dedup_keys of events that only mention the user (not personal ids: hashes). */
  readonly mentionKeys: readonly string[];
  readonly scan: ScanRange | null;
  /** The last dt= partition the objects step finished (`events/dt=...`), to resume after it. */
  readonly objectsCursor: string | null;
  readonly suppressedAt: Date | null;
  readonly objectsDoneAt: Date | null;
  readonly objectsScanned: number;
  readonly objectsRewritten: number;
  readonly objectsDeleted: number;
  readonly linesRemoved: number;
  readonly warehouseDoneAt: Date | null;
  readonly rowsRemoved: number;
  readonly rowsByTable: Readonly<Record<string, number>> | null;
  readonly verifiedAt: Date | null;
  readonly verification: VerificationReport | null;
  readonly completedAt: Date | null;
  readonly lastError: string | null;
  readonly updatedAt: Date;
}

/** A JSON column: DuckDB gives parsed JSON, the Snowflake driver may give text. */
const readJson = <T>(value: unknown): T | null => {
  if (value === null || value === undefined) return null;
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
};

const readDate = (value: unknown): string | null => {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  return String(value).slice(0, 10);
};

const ts = (date: Date | null): string | null => (date === null ? null : toSqlTimestamp(date));
const json = (value: unknown): string | null => (value === null ? null : JSON.stringify(value));
const num = (value: unknown): number => readNumber(value) ?? 0;

const isStep = (value: string | null): value is ErasureStep => ERASURE_STEPS.includes(value as ErasureStep);

/** A row of ops.erasure_requests as a request. */
export const toRequest = (row: Row): ErasureRequest => {
  const step = readString(row.step);
  if (!isStep(step))
    throw new TypeError(`ops.erasure_requests.step ${JSON.stringify(step)} is not a known step`);
  const from = readDate(row.scan_from);
  const recentFrom = readDate(row.tail_from);
  return {
    requestId: readString(row.request_id) ?? '',
    subjectHash: readString(row.subject_hash) ?? '',
    userId: readString(row.user_id),
    workspaceId: readString(row.workspace_id),
    source: (readString(row.source) ?? 'cli') as ErasureSource,
    requestedBy: readString(row.requested_by),
    receivedAt: readTimestamp(row.received_at) ?? new Date(0),
    dueAt: readTimestamp(row.due_at) ?? new Date(0),
    status: readString(row.status) === 'completed' ? 'completed' : 'in_progress',
    step,
    attempts: num(row.attempts),
    anonymousIds: readJson<string[]>(row.anonymous_ids),
    mentionKeys: readJson<string[]>(row.mention_keys) ?? [],
    scan:
      recentFrom === null
        ? null
        : { from, to: readDate(row.scan_to), recentFrom, recentTo: readDate(row.tail_to) ?? recentFrom },
    objectsCursor: readString(row.objects_cursor),
    suppressedAt: readTimestamp(row.suppressed_at),
    objectsDoneAt: readTimestamp(row.objects_done_at),
    objectsScanned: num(row.objects_scanned),
    objectsRewritten: num(row.objects_rewritten),
    objectsDeleted: num(row.objects_deleted),
    linesRemoved: num(row.lines_removed),
    warehouseDoneAt: readTimestamp(row.warehouse_done_at),
    rowsRemoved: num(row.rows_removed),
    rowsByTable: readJson<Record<string, number>>(row.rows_by_table),
    verifiedAt: readTimestamp(row.verified_at),
    verification: readJson<VerificationReport>(row.verification),
    completedAt: readTimestamp(row.completed_at),
    lastError: readString(row.last_error),
    updatedAt: readTimestamp(row.updated_at) ?? new Date(0),
  };
};

/** A request as the named values of sql/erasure/requests.sql (insert and update). */
export const requestValues = (r: ErasureRequest): SqlValues => ({
  request_id: r.requestId,
  subject_hash: r.subjectHash,
  user_id: r.userId,
  workspace_id: r.workspaceId,
  source: r.source,
  requested_by: r.requestedBy,
  received_at: toSqlTimestamp(r.receivedAt),
  due_at: toSqlTimestamp(r.dueAt),
  status: r.status,
  step: r.step,
  attempts: r.attempts,
  anonymous_ids: json(r.anonymousIds),
  mention_keys: json(r.mentionKeys),
  scan_from: r.scan?.from ?? null,
  scan_to: r.scan?.to ?? null,
  tail_from: r.scan?.recentFrom ?? null,
  tail_to: r.scan?.recentTo ?? null,
  objects_cursor: r.objectsCursor,
  suppressed_at: ts(r.suppressedAt),
  objects_done_at: ts(r.objectsDoneAt),
  objects_scanned: r.objectsScanned,
  objects_rewritten: r.objectsRewritten,
  objects_deleted: r.objectsDeleted,
  lines_removed: r.linesRemoved,
  warehouse_done_at: ts(r.warehouseDoneAt),
  rows_removed: r.rowsRemoved,
  rows_by_table: json(r.rowsByTable),
  verified_at: ts(r.verifiedAt),
  verification: json(r.verification),
  completed_at: ts(r.completedAt),
  last_error: r.lastError,
  updated_at: toSqlTimestamp(r.updatedAt),
});
