import { readNumber, readString } from '#core/warehouse/values.ts';
import { type ErasureDb, idList, query } from './erasure-db.ts';
import { SubjectMatcher } from './line-matcher.ts';
import type { ErasureSubject } from './subject.ts';

/** Where a rejected row was loaded from: its key in raw.rejected_events. */
export interface RejectedRowKey {
  readonly file_name: string | null;
  readonly file_row: number | null;
}

/**
 * The raw.rejected_events rows that hold the subject, by the same exact rule as the rejected objects'
 * lines: SQL narrows to rows with the parsed user id or an id anywhere in the record text, and the
 * matcher keeps those where it is a whole JSON string token.
 */
export const subjectRejectedRows = async (
  db: ErasureDb,
  subject: ErasureSubject,
): Promise<RejectedRowKey[]> => {
  const matcher = new SubjectMatcher(subject);
  const candidates = await query(db, 'subject', 'rejected_candidates', {
    needles: idList([subject.userId, ...subject.anonymousIds]),
  });
  return candidates
    .filter((r) =>
      matcher.rejectedRow({
        user_id: readString(r.user_id),
        workspace_id: readString(r.workspace_id),
        raw_record: readString(r.raw_record) ?? '',
      }),
    )
    .map((r) => ({ file_name: readString(r.file_name), file_row: readNumber(r.file_row) }));
};
