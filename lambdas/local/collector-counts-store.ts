import { type AcceptedEvents, WarehouseAcceptedCounts } from '#core/quality/warehouse-accepted-counts.ts';
import type { Warehouse } from '#core/warehouse/ports.ts';
import type { SqlLibrary } from '#core/warehouse/sql-library.ts';

/** Counts of the records up to one stream position (just past the last record counted). */
export interface CountBatch {
  readonly counts: readonly AcceptedEvents[];
  readonly through: number;
}

/** Where the local collector's counts go, with how far into the durable stream they reach. */
export interface CollectorCountsStore {
  /** Stream position up to which every acknowledged record's count is written; null when never recorded. */
  countedThrough(): Promise<number | null>;
  /**
   * Adds the batches not written yet (those whose `through` is past the recorded position) and records the
   * last `through`, in one transaction: a batch written by an attempt that reported failure is not added twice.
   */
  write(batches: readonly CountBatch[]): Promise<void>;
  /** Throws what writing `count` would throw, writing nothing (the transaction is rolled back). */
  probe(count: AcceptedEvents): Promise<void>;
}

/**
 * `ops.collector_counts_through`: one row, the stream position up to which the collector's counts are in
 * ops.collector_counts, written in the same transaction as the counts. DuckDB-only (local mode), kept
 * beside its one writer, like ops.load_history beside the loader.
 */
const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS ops.collector_counts_through (
  stream_position BIGINT NOT NULL
)`;

/** Thrown inside a probe's transaction to roll it back. */
class ProbeRollback extends Error {}

/** The local stack's counts store: ops.collector_counts plus ops.collector_counts_through. */
export class WarehouseCollectorCounts implements CollectorCountsStore {
  readonly #warehouse: Warehouse;
  readonly #sql: SqlLibrary;

  constructor(warehouse: Warehouse, sql: SqlLibrary) {
    this.#warehouse = warehouse;
    this.#sql = sql;
  }

  /** Creates the position table when missing (ops.collector_counts comes with the pipeline's DDL). */
  async ensure(): Promise<void> {
    await this.#warehouse.execute('CREATE SCHEMA IF NOT EXISTS ops');
    await this.#warehouse.execute(CREATE_TABLE);
  }

  async countedThrough(): Promise<number | null> {
    return readPosition(this.#warehouse);
  }

  async write(batches: readonly CountBatch[]): Promise<void> {
    if (batches.length === 0) return;
    await this.#warehouse.transaction(async (tx) => {
      const recorded = await readPosition(tx);
      const fresh = batches.filter((b) => recorded === null || b.through > recorded);
      if (fresh.length === 0) return;
      await new WarehouseAcceptedCounts(tx, this.#sql).add(fresh.flatMap((b) => b.counts));
      const through = Math.max(...fresh.map((b) => b.through));
      await tx.execute('DELETE FROM ops.collector_counts_through');
      await tx.execute('INSERT INTO ops.collector_counts_through VALUES (?)', [through]);
    });
  }

  async probe(count: AcceptedEvents): Promise<void> {
    try {
      await this.#warehouse.transaction(async (tx) => {
        await new WarehouseAcceptedCounts(tx, this.#sql).add([count]);
        throw new ProbeRollback();
      });
    } catch (error) {
      if (!(error instanceof ProbeRollback)) throw error;
    }
  }
}

const readPosition = async (warehouse: Warehouse): Promise<number | null> => {
  const [row] = await warehouse.query<{ p: number | string | null }>(
    'SELECT MAX(stream_position) AS p FROM ops.collector_counts_through',
  );
  return row?.p === null || row?.p === undefined ? null : Number(row.p);
};
