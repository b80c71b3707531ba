import { queryStatement, runStatement } from '#core/warehouse/sql-exec.ts';
import type { RenderedStatement } from '#core/warehouse/template.ts';
import { readNumber, readString } from '#core/warehouse/values.ts';
import { type ErasureDb, idList, query } from './erasure-db.ts';
import { ErasureError } from './errors.ts';
import { type ErasureSubject, userKeys } from './subject.ts';

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

const forTable = (statement: RenderedStatement, table: UserTable): RenderedStatement => ({
  ...statement,
  name: `${statement.name}(${table.name})`,
  sql: statement.sql
    .replace(/\berasure_target\b/g, table.name)
    .replace(/\berasure_workspace\b/g, table.workspaceColumn ?? 'CAST(NULL AS VARCHAR)'),
});

const values = (subject: ErasureSubject) => ({
  user_ids: idList([subject.userId]),
  anonymous_ids: idList(subject.anonymousIds),
  user_keys: idList(userKeys(subject)),
  workspace_id: subject.workspaceId,
});

/** The subject's rows in the table. */
export const countSubjectRows = async (
  db: ErasureDb,
  table: UserTable,
  subject: ErasureSubject,
): Promise<number> => {
  const statement = forTable(db.sql.statement('erasure/user_tables', `count_by_${table.match}`), table);
  const [row] = await queryStatement(db.warehouse, statement, values(subject));
  return readNumber(row?.n) ?? 0;
};

/** Deletes the subject's rows from the table; returns how many. */
export const deleteSubjectRows = (
  db: ErasureDb,
  table: UserTable,
  subject: ErasureSubject,
): Promise<number> =>
  runStatement(
    db.warehouse,
    forTable(db.sql.statement('erasure/user_tables', `delete_by_${table.match}`), table),
    values(subject),
  );
