import type { Warehouse } from '#core/warehouse/ports.ts';
import { toSqlTimestamp } from '#core/warehouse/time.ts';

/** Days before the history's end the erasure subject was active on (one event an hour, 09:00 to 12:00). */
export const SUBJECT_DAYS_BEFORE_END = [25, 10, 1] as const;

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** When the subject's events were received: 4 a day on each of its days, in time order. */
export const subjectReceipts = (end: Date): Date[] =>
  SUBJECT_DAYS_BEFORE_END.flatMap((d) =>
    [9, 10, 11, 12].map((h) => new Date(end.getTime() - d * DAY + h * HOUR)),
  );

/**
 * The erasure subject's events received in [from, until): rows shaped like the traffic generator's
 * (bench/transform/generate-history.ts), one file of their own per event, loaded 5 minutes after receipt.
 * Returns the rows written.
 */
export const writeSubjectEvents = async (
  warehouse: Warehouse,
  userId: string,
  end: Date,
  from: Date,
  until: Date,
): Promise<number> => {
  const receipts = subjectReceipts(end).filter((t) => t >= from && t < until);
  let written = 0;
  for (const [i, received] of receipts.entries()) {
    const at = toSqlTimestamp(received);
    written += await warehouse.execute(
      `INSERT INTO raw.events
       SELECT
         md5('dk-' || ? || '-' || ?) AS dedup_key, 'e-' || ? || '-' || ? AS event_id, 'feature_used', '1-0-0',
         CAST(? AS TIMESTAMP), CAST(? AS TIMESTAMP), CAST(? AS TIMESTAMP), CAST(? AS TIMESTAMP),
         ? AS user_id, NULL, 'ws0', 'editor.comments.mention', TRUE, 'web', '4.2.0', 'en-GB', 'src-bench',
         'native', 'event',
         CAST('{"validator_build":"bench","dedup_algo":"sha256-v1","schema_version":"1-0-0"}' AS JSON),
         CAST(json_object('event', 'feature_used', 'properties', json_object('document_id', 'doc-subject')) AS JSON),
         'events/subject/' || ? || '-' || ? || '.ndjson.gz', 1,
         CAST(? AS TIMESTAMP) + INTERVAL 5 MINUTE, TRUE AS planned`,
      [userId, i, userId, i, at, at, at, at, userId, userId, i, at],
    );
  }
  return written;
};
