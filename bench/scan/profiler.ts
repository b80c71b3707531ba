import { readFileSync } from 'node:fs';
import type { Warehouse } from '#core/warehouse/ports.ts';

/**
 * Rows scanned per table, from DuckDB's profiler. Every statement run through the wrapped warehouse
 * (its own connection and each transaction's) writes its profile as JSON to one file, read back after
 * the statement; the table scans' `operator_rows_scanned` (rows read after zone-map pruning, the
 * stand-in for Snowflake's micro-partition pruning) are summed per table. Statements run one at a time
 * here (the runner, checks and erasure are sequential), so one file serves every connection.
 */
export interface ScanCounter {
  /** The warehouse to hand to the job: statements through it are counted while recording. */
  readonly warehouse: Warehouse;
  /** Counts from now on, starting from zero. */
  start(): Promise<void>;
  /** Stops counting; the rows scanned per table (`schema.table`) since start. */
  stop(): Promise<Map<string, number>>;
  /** Rows scanned per statement since start, keyed by `label(sql)`. */
  readonly byStatement: ReadonlyMap<string, number>;
  /** Statements run since start (each one a query the warehouse compiles and schedules). */
  statementCount(): number;
}

interface ProfileNode {
  readonly operator_rows_scanned?: number;
  readonly extra_info?: { readonly Table?: string };
  readonly children?: readonly ProfileNode[];
}

/** `tally.raw.events` or `"temp".main.x` as `raw.events` / `temp.x`. */
const tableName = (qualified: string): string => {
  const parts = qualified.split('.').map((p) => p.replace(/"/g, ''));
  if (parts[0] === 'temp') return `temp.${parts.at(-1)}`;
  return parts.slice(-2).join('.');
};

const collect = (node: ProfileNode, into: Map<string, number>): void => {
  const table = node.extra_info?.Table;
  if (table && node.operator_rows_scanned) {
    const name = tableName(table);
    into.set(name, (into.get(name) ?? 0) + node.operator_rows_scanned);
  }
  for (const child of node.children ?? []) collect(child, into);
};

const PROFILE_ON = (file: string): string[] => [
  "PRAGMA enable_profiling = 'json'",
  "SET profiling_coverage = 'ALL'",
  `SET profiling_output = '${file.replace(/'/g, "''")}'`,
];

export const scanCounter = async (
  inner: Warehouse,
  profileFile: string,
  label: (sql: string) => string = (sql) => sql.slice(0, 60),
): Promise<ScanCounter> => {
  let recording = false;
  let statements = 0;
  let counts = new Map<string, number>();
  const byStatement = new Map<string, number>();
  const afterStatement = (sql: string): void => {
    if (!recording) return;
    statements += 1;
    const tables = new Map<string, number>();
    collect(JSON.parse(readFileSync(profileFile, 'utf8')) as ProfileNode, tables);
    for (const [table, n] of tables) {
      counts.set(table, (counts.get(table) ?? 0) + n);
      const key = `${label(sql)} ${table}`;
      byStatement.set(key, (byStatement.get(key) ?? 0) + n);
    }
  };
  const wrap = (target: Warehouse): Warehouse => ({
    dialect: target.dialect,
    execute: async (sql, params) => {
      const changed = await target.execute(sql, params);
      afterStatement(sql);
      return changed;
    },
    query: async (sql, params) => {
      const rows = await target.query(sql, params);
      afterStatement(sql);
      return rows as never;
    },
    transaction: (work) =>
      target.transaction(async (tx) => {
        for (const statement of PROFILE_ON(profileFile)) await tx.execute(statement);
        return work(wrap(tx));
      }),
    close: () => target.close(),
  });
  for (const statement of PROFILE_ON(profileFile)) await inner.execute(statement);
  return {
    warehouse: wrap(inner),
    byStatement,
    start: async () => {
      counts = new Map();
      statements = 0;
      byStatement.clear();
      recording = true;
    },
    stop: async () => {
      recording = false;
      return counts;
    },
    statementCount: () => statements,
  };
};
