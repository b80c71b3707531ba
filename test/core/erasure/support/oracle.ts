import type { Warehouse } from '#core/warehouse/ports.ts';
import type { LandedWorkload, WorkloadObject } from './workload.ts';

export interface WorkloadUser {
  readonly id: string;
  readonly anonymousId: string;
  readonly workspace: string;
}

/**
 * Whether a line of the bucket is the user's, written independently of the erasure's matcher: a validated
 * line with the user's id or (without a user) anonymous id, or the user id quoted anywhere in it; a rejected
 * line with the user's id, or either id quoted in its original record.
 */
export const isUsersLine = (user: WorkloadUser, key: string, text: string): boolean => {
  const line = JSON.parse(text) as Record<string, unknown>;
  if (key.startsWith('events/')) {
    return (
      line.user_id === user.id ||
      (line.user_id === null && line.anonymous_id === user.anonymousId) ||
      text.includes(`"${user.id}"`)
    );
  }
  const record = String(line.raw_record);
  return (
    line.user_id === user.id || record.includes(`"${user.id}"`) || record.includes(`"${user.anonymousId}"`)
  );
};

/** The workload's objects without the user's lines (objects left empty are not delivered at all). */
export const withoutUser = (workload: LandedWorkload, user: WorkloadUser): WorkloadObject[] =>
  workload.objects
    .map((o) => ({ key: o.key, lines: o.lines.filter((l) => !isUsersLine(user, o.key, l)) }))
    .filter((o) => o.lines.length > 0);

/** How many lines of the workload are the user's, by prefix. */
export const linesOf = (workload: LandedWorkload, user: WorkloadUser) => {
  const counts = { events: 0, rejected: 0 };
  for (const o of workload.objects) {
    const n = o.lines.filter((l) => isUsersLine(user, o.key, l)).length;
    counts[o.key.startsWith('events/') ? 'events' : 'rejected'] += n;
  }
  return counts;
};

/** The user with the most rejected lines, then the most lines: the erasure's hardest subject. */
export const busiestUser = (workload: LandedWorkload): WorkloadUser => {
  const ranked = workload.users
    .map((u) => ({ u, n: linesOf(workload, u) }))
    .sort((a, b) => b.n.rejected - a.n.rejected || b.n.events - a.n.events || a.u.id.localeCompare(b.u.id));
  return ranked[0]!.u;
};

/** Every base table of the warehouse, `schema.table`. */
export const allTables = async (warehouse: Warehouse): Promise<string[]> =>
  (
    await warehouse.query<{ name: string }>(
      `SELECT table_schema || '.' || table_name AS name FROM information_schema.tables
       WHERE table_type = 'BASE TABLE' ORDER BY 1`,
    )
  ).map((r) => r.name);

/** Rows of every table (any schema, ops included) whose JSON text holds `needle`, as `table: count`. */
export const rowsHolding = async (warehouse: Warehouse, needle: string): Promise<Record<string, number>> => {
  const found: Record<string, number> = {};
  for (const table of await allTables(warehouse)) {
    const rows = await warehouse.query(`SELECT * FROM ${table}`);
    const n = rows.filter((r) => JSON.stringify(r).includes(needle)).length;
    if (n > 0) found[table] = n;
  }
  return found;
};
