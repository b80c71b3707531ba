import { readNumber } from '#core/warehouse/values.ts';
import { type ErasureDb, exec, idList, query } from './erasure-db.ts';
import { SubjectMatcher } from './line-matcher.ts';
import { scanObject } from './object-rewrite.ts';
import { judgeFor } from './object-work.ts';
import { scanPartitions } from './partitions.ts';
import type { ObjectStore } from './ports.ts';
import { subjectRejectedRows } from './rejected-rows.ts';
import type { ScanRange, VerificationReport } from './request-record.ts';
import { isErased } from './request-store.ts';
import { type ErasureSubject, idHash } from './subject.ts';
import { subjectRanges } from './subject-ranges.ts';
import { addressable, discoverUserTables, subjectRows } from './user-tables.ts';

export interface VerificationInput {
  readonly db: ErasureDb;
  readonly objects: ObjectStore;
  readonly subject: ErasureSubject;
  /** The partitions to search. */
  readonly scan: ScanRange;
  /** Events that only mentioned the user. */
  readonly mentionKeys: readonly string[];
  /** Objects the erasure wrote, whose old versions must be gone. */
  readonly writtenKeys: readonly string[];
}

/** True when nothing of the subject is left anywhere and the suppression list holds it. */
export const isClean = (report: VerificationReport): boolean =>
  report.suppressed &&
  report.rejectedRecords === 0 &&
  report.mentionRows === 0 &&
  report.objectLines === 0 &&
  report.oldVersions === 0 &&
  Object.values(report.tables).every((n) => n === 0);

/** What a report says is left, for messages: `raw.events 3, object lines 2`; empty when clean. */
export const leftovers = (report: VerificationReport): string =>
  [
    ...Object.entries(report.tables)
      .filter(([, n]) => n > 0)
      .map(([t, n]) => `${t} ${n}`),
    report.rejectedRecords > 0 ? `rejected records ${report.rejectedRecords}` : '',
    report.mentionRows > 0 ? `mention rows ${report.mentionRows}` : '',
    report.objectLines > 0 ? `object lines ${report.objectLines}` : '',
    report.oldVersions > 0 ? `old object versions ${report.oldVersions}` : '',
    report.suppressed ? '' : 'not on the suppression list',
  ]
    .filter((s) => s !== '')
    .join(', ');

/** What the verification finds outside the raw objects. */
export type StoresReport = Omit<VerificationReport, 'objectsScanned' | 'objectLines'>;

/**
 * Searches every store but the raw objects for the subject, changing nothing: each user-level table of the
 * warehouse (found in information_schema; a large table on the stretches of history the subject's
 * curated.user_index entries name), the rejected records by the exact token rule, the rows of mention-only
 * events, the old versions of the objects the erasure wrote, and the suppression list. Cheap next to the
 * objects: the verify step runs it itself, and searches the objects in process or through the queue.
 */
export const verifyStores = async (input: Omit<VerificationInput, 'scan'>): Promise<StoresReport> => {
  const { db, objects, subject } = input;
  const ranges = await subjectRanges(db, subject);
  const tables: Record<string, number> = {};
  for (const table of await discoverUserTables(db)) {
    if (!addressable(table, subject)) continue;
    tables[table.name] = await subjectRows(db, 'count', table, subject, ranges);
  }
  const rejectedRecords = (await subjectRejectedRows(db, subject)).length;
  let mentionRows = 0;
  if (input.mentionKeys.length > 0) {
    const [row] = await query(db, 'erase', 'count_by_dedup_key', { dedup_keys: idList(input.mentionKeys) });
    mentionRows = (readNumber(row?.raw_events) ?? 0) + (readNumber(row?.facts) ?? 0);
  }
  let oldVersions = 0;
  for (const key of input.writtenKeys) oldVersions += await objects.countOldVersions(key);
  const suppressed = await isErased(db, {
    idHash: idHash(subject.userId),
    kind: 'user',
    workspaceId: subject.workspaceId,
  });
  return { tables, rejectedRecords, mentionRows, oldVersions, suppressed };
};

/**
 * Searches every store for the subject in process, changing nothing: {@link verifyStores}, and every line
 * of the raw objects of the scan's partitions. The report is the proof kept in
 * ops.erasure_requests.verification.
 */
export const verifyErasure = async (input: VerificationInput): Promise<VerificationReport> => {
  const stores = await verifyStores(input);
  const matcher = new SubjectMatcher(input.subject);
  let objectsScanned = 0;
  let objectLines = 0;
  for (const partition of scanPartitions(input.scan)) {
    for (const key of await input.objects.list(partition.path)) {
      const scan = await scanObject(input.objects, key, judgeFor(matcher, key));
      objectsScanned += scan.exists ? 1 : 0;
      objectLines += scan.matches.length;
    }
  }
  return verificationReport(stores, { objectsScanned, objectLines });
};

/** The report of {@link verifyStores} and what the search of the objects found, in the report's order. */
export const verificationReport = (
  stores: StoresReport,
  objects: Pick<VerificationReport, 'objectsScanned' | 'objectLines'>,
): VerificationReport => ({
  tables: stores.tables,
  rejectedRecords: stores.rejectedRecords,
  mentionRows: stores.mentionRows,
  objectsScanned: objects.objectsScanned,
  objectLines: objects.objectLines,
  oldVersions: stores.oldVersions,
  suppressed: stores.suppressed,
});

/**
 * Deletes the subject's entries of curated.user_index (its id hashes), once a verification found nothing
 * else left: until then they say where to look.
 */
export const forgetSubjectIndex = async (db: ErasureDb, subject: ErasureSubject): Promise<number> =>
  exec(db, 'subject', 'forget_index', {
    user_ids: idList([subject.userId]),
    anonymous_ids: idList(subject.anonymousIds),
    workspace_id: subject.workspaceId,
  });
