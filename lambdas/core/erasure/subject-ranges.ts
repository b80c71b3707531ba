import { EPOCH, FAR_FUTURE } from '#core/warehouse/runner.ts';
import { addDays, parseSqlDate, toSqlDate, toSqlTimestamp } from '#core/warehouse/time.ts';
import { readString, readTimestamp } from '#core/warehouse/values.ts';
import { type ErasureDb, idList, query } from './erasure-db.ts';
import type { ErasureSubject } from './subject.ts';

/** A closed range of values of one column: `YYYY-MM-DD` days, or `YYYY-MM-DD HH:MM:SS.mmm` times. */
export interface ColumnRange {
  readonly from: string;
  readonly to: string;
}

/**
 * Where a subject's rows are, from curated.user_index: the event days of its rows (which bound the fact
 * and the tables built from it) and the load times of its raw rows (which bound raw.events), each as
 * ranges merged where they touch, so an erasure reads the subject's own stretches of history only. The
 * loads also hold the tail of raw the index does not reach yet (loaded since the last transform: at most
 * one transform interval), else a late event loaded minutes before an erasure would stay in raw.
 */
export interface SubjectRanges {
  readonly days: readonly ColumnRange[];
  readonly loads: readonly ColumnRange[];
  /** First and last receipt of its raw rows; null when the index knows no row of it. */
  readonly firstReceived: Date | null;
  readonly lastReceived: Date | null;
}

interface Span {
  from: Date;
  to: Date;
}

/** Spans sorted and merged where they overlap (or, with `touch` ms, lie that close). */
const merge = (spans: readonly Span[], touch: number): Span[] => {
  const out: Span[] = [];
  for (const span of [...spans].sort((a, b) => a.from.getTime() - b.from.getTime())) {
    const last = out.at(-1);
    if (last && span.from.getTime() <= last.to.getTime() + touch) {
      if (span.to > last.to) last.to = span.to;
    } else {
      out.push({ ...span });
    }
  }
  return out;
};

const DAY_MS = 86_400_000;

export const subjectRanges = async (db: ErasureDb, subject: ErasureSubject): Promise<SubjectRanges> => {
  const rows = await query(db, 'subject', 'months', {
    user_ids: idList([subject.userId]),
    anonymous_ids: idList(subject.anonymousIds),
    workspace_id: subject.workspaceId,
  });
  const days: Span[] = [];
  const loads: Span[] = [];
  let firstReceived: Date | null = null;
  let lastReceived: Date | null = null;
  for (const row of rows) {
    const from = parseSqlDate(readString(row.first_event_date) ?? '');
    const to = parseSqlDate(readString(row.last_event_date) ?? '');
    if (from && to) days.push({ from, to });
    const loadedFrom = readTimestamp(row.first_loaded_at);
    const loadedTo = readTimestamp(row.last_loaded_at);
    if (loadedFrom && loadedTo) loads.push({ from: loadedFrom, to: loadedTo });
    const received = [readTimestamp(row.first_received_at), readTimestamp(row.last_received_at)];
    for (const at of received) {
      if (!at) continue;
      if (!firstReceived || at < firstReceived) firstReceived = at;
      if (!lastReceived || at > lastReceived) lastReceived = at;
    }
  }
  // the unindexed tail: from the index's watermark (from the start when it has none) to the far future
  const [mark] = await query(db, 'subject', 'index_watermark', {});
  loads.push({ from: readTimestamp(mark?.loaded_at) ?? EPOCH, to: FAR_FUTURE });
  return {
    days: merge(days, DAY_MS).map((s) => ({ from: toSqlDate(s.from), to: toSqlDate(s.to) })),
    loads: merge(loads, 0).map((s) => ({ from: toSqlTimestamp(s.from), to: toSqlTimestamp(s.to) })),
    firstReceived,
    lastReceived,
  };
};

/** The last day of the month holding `day` (`YYYY-MM-DD`). */
export const monthEnd = (day: string): string => {
  const date = parseSqlDate(day);
  if (!date) return day;
  return toSqlDate(addDays(new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1)), -1));
};

/** The first day of the month holding `day` (`YYYY-MM-DD`). */
export const monthStart = (day: string): string => `${day.slice(0, 7)}-01`;
