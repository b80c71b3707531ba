import { queryStatement, runStatement } from '#core/warehouse/sql-exec.ts';
import { fillTemplate, type RenderedStatement } from '#core/warehouse/template.ts';
import { readNumber, readString } from '#core/warehouse/values.ts';
import { type ErasureDb, idList, query } from './erasure-db.ts';
import { ErasureError } from './errors.ts';
import { type ErasureSubject, userKeys } from './subject.ts';
import { type ColumnRange, monthEnd, monthStart, type SubjectRanges } from './subject-ranges.ts';

/** How a table's rows are tied to a user, from its columns (user_key wins, then user_id, then anonymous_id). */
export type UserColumns = 'user_key' | 'user_id' | 'user_or_anonymous_id' | 'anonymous_id';

/** A table holding user-level rows, found in information_schema. */
export interface UserTable {
  /** `schema.table`, lower case. */
  readonly name: string;
  readonly match: UserColumns;
  /** The column naming the workspace; null when the table has none. */
  readonly workspaceColumn: 'workspace_id' | 'workspace_key' | null;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/**
 * Every base table outside `ops` with a user_key, user_id or anonymous_id column: raw, curated and work
 * tables today, and whatever user-level table is added later (activation, first/last), with no list to keep.
 */
export const discoverUserTables = async (db: ErasureDb): Promise<UserTable[]> => {
  const columns = new Map<string, Set<string>>();
  for (const row of await query(db, 'user_tables', 'discover')) {
    const name = `${readString(row.table_schema)}.${readString(row.table_name)}`;
    columns.set(name, (columns.get(name) ?? new Set()).add(readString(row.column_name) ?? ''));
  }
  const tables: UserTable[] = [];
  for (const [name, cols] of [...columns].sort(([a], [b]) => a.localeCompare(b))) {
    const match: UserColumns | null = cols.has('user_key')
      ? 'user_key'
      : cols.has('user_id')
        ? cols.has('anonymous_id')
          ? 'user_or_anonymous_id'
          : 'user_id'
        : cols.has('anonymous_id')
          ? 'anonymous_id'
          : null;
    if (match === null) continue;
    if (!name.split('.').every((part) => IDENTIFIER.test(part))) {
      throw new ErasureError(
        `table ${name} holds user rows but its name is not a plain identifier, so the erasure cannot address it; rename it`,
      );
    }
    const workspaceColumn = cols.has('workspace_key')
      ? 'workspace_key'
      : cols.has('workspace_id')
        ? 'workspace_id'
        : null;
    tables.push({ name, match, workspaceColumn });
  }
  return tables;
};

/** Whether the subject's rows of the table can be told apart: a workspace scope needs a workspace column. */
export const addressable = (table: UserTable, subject: ErasureSubject): boolean =>
  subject.workspaceId === null || table.workspaceColumn !== null;

/**
 * Where a large table's rows of the subject can be: the column its clustering key is on and the ranges of
 * it the subject's index gives. Tables not listed here are the size of the user base (last-seen, spans)
 * or small (work, rejected), and are read whole.
 */
interface TableRanges {
  readonly column: { readonly date_column: string } | { readonly time_column: string };
  readonly ranges: (r: SubjectRanges) => readonly ColumnRange[];
}

const FAR_FUTURE = '9999-12-31';

const RANGED: Readonly<Record<string, TableRanges>> = {
  'raw.events': { column: { time_column: 'loaded_at' }, ranges: (r) => r.loads },
  'curated.fct_feature_events': { column: { date_column: 'event_date' }, ranges: (r) => r.days },
  // a month's snapshot is dated its last day
  'curated.user_first_last': {
    column: { date_column: 'snapshot_date' },
    ranges: (r) => r.days.map((d) => ({ from: d.from, to: monthEnd(d.to) })),
  },
  // inactive rows follow the last activity for a few periods: from the first active month on
  'curated.activation_states': {
    column: { date_column: 'period_start' },
    ranges: (r) => (r.days[0] ? [{ from: monthStart(r.days[0].from), to: FAR_FUTURE }] : []),
  },
};

/** The table's statement (`subject_rows` of its kind and match), filled for it, once per range it is read on. */
const forTable = (
  db: ErasureDb,
  kind: 'count' | 'delete',
  table: UserTable,
  ranges: SubjectRanges,
): { statement: RenderedStatement; range: ColumnRange | null }[] => {
  const template = db.sql.template('erasure/user_tables', 'subject_rows');
  const ranged = RANGED[table.name];
  const fill = (column: TableRanges['column'] | null): RenderedStatement => ({
    ...fillTemplate(template, {
      kind,
      match: table.match,
      target: table.name,
      workspace_column: table.workspaceColumn ?? undefined,
      ...(column ?? {}),
    }),
    name: `${kind}_by_${table.match}(${table.name})`,
  });
  if (!ranged) return [{ statement: fill(null), range: null }];
  const statement = fill(ranged.column);
  return ranged.ranges(ranges).map((range) => ({ statement, range }));
};

const values = (subject: ErasureSubject, range: ColumnRange | null) => ({
  user_ids: idList([subject.userId]),
  anonymous_ids: idList(subject.anonymousIds),
  user_keys: idList(userKeys(subject)),
  workspace_id: subject.workspaceId,
  range_from: range?.from ?? null,
  range_to: range?.to ?? null,
});

/**
 * The subject's rows in the table, counted or deleted (`kind`): how many, on the stretches of history
 * `ranges` names for a large table.
 */
export const subjectRows = async (
  db: ErasureDb,
  kind: 'count' | 'delete',
  table: UserTable,
  subject: ErasureSubject,
  ranges: SubjectRanges,
): Promise<number> => {
  let n = 0;
  for (const { statement, range } of forTable(db, kind, table, ranges)) {
    if (kind === 'delete') n += await runStatement(db.warehouse, statement, values(subject, range));
    else {
      const [row] = await queryStatement(db.warehouse, statement, values(subject, range));
      n += readNumber(row?.n) ?? 0;
    }
  }
  return n;
};
