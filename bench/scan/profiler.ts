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

export const scanCounter = async (inner: Warehouse, profileFile: string): Promise<ScanCounter> => {
  let recording = false;
  let counts = new Map<string, number>();
  const afterStatement = (): void => {
    if (!recording) return;
    collect(JSON.parse(readFileSync(profileFile, 'utf8')) as ProfileNode, counts);
  };
  const wrap = (target: Warehouse): Warehouse => ({
    dialect: target.dialect,
    execute: async (sql, params) => {
      const changed = await target.execute(sql, params);
      afterStatement();
      return changed;
    },
    query: async (sql, params) => {
      const rows = await target.query(sql, params);
      afterStatement();
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
    start: async () => {
      counts = new Map();
      recording = true;
    },
    stop: async () => {
      recording = false;
      return counts;
    },
  };
};
