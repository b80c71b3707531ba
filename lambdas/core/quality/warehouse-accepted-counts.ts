import type { Warehouse } from '#core/warehouse/ports.ts';
import { queryStatement, runStatement } from '#core/warehouse/sql-exec.ts';
import type { SqlLibrary } from '#core/warehouse/sql-library.ts';
import { toSqlTimestamp } from '#core/warehouse/time.ts';
import { readNumber, readTimestamp } from '#core/warehouse/values.ts';
import type { AcceptedCount, AcceptedCounts } from './ports.ts';

const FILE = 'quality/collector_counts';
const MINUTE_MS = 60_000;

/** Accepted counts kept in the warehouse table ops.collector_counts (local mode). */
export class WarehouseAcceptedCounts implements AcceptedCounts {
  readonly #warehouse: Warehouse;
  readonly #sql: SqlLibrary;

  constructor(warehouse: Warehouse, sql: SqlLibrary) {
    this.#warehouse = warehouse;
    this.#sql = sql;
  }

  async between(from: Date, to: Date): Promise<AcceptedCount[]> {
    const rows = await queryStatement(this.#warehouse, this.#sql.statement(FILE, 'accepted_by_minute'), {
      received_from: toSqlTimestamp(from),
      received_before: toSqlTimestamp(to),
    });
    return rows.map((r) => ({
      sourceId: String(r.source_id),
      eventName: String(r.event_name ?? ''),
      minute: readTimestamp(r.received_minute) ?? from,
      accepted: readNumber(r.accepted) ?? 0,
    }));
  }

  /**
   * Adds what the collector accepted (the local stack calls this once the stream acknowledged a batch).
   * Counts of the same (source, event name, minute) are summed first, so one call is one MERGE.
   */
  async add(accepted: readonly AcceptedEvents[]): Promise<void> {
    const sums = new Map<
      string,
      { source_id: string; event_name: string; received_minute: string; accepted: number }
    >();
    for (const a of accepted) {
      const minute = toSqlTimestamp(new Date(Math.floor(a.receivedAt.getTime() / MINUTE_MS) * MINUTE_MS));
      const key = JSON.stringify([a.sourceId, a.eventName, minute]);
      const prev = sums.get(key);
      sums.set(key, {
        source_id: a.sourceId,
        event_name: a.eventName,
        received_minute: minute,
        accepted: (prev?.accepted ?? 0) + a.count,
      });
    }
    if (sums.size === 0) return;
    await runStatement(this.#warehouse, this.#sql.statement(FILE, 'add_counts'), {
      counts: JSON.stringify([...sums.values()]),
    });
  }

  /** Deletes counts of minutes before `keepAfter` (the table keeps 14 days). */
  async prune(keepAfter: Date): Promise<void> {
    await runStatement(this.#warehouse, this.#sql.statement(FILE, 'prune'), {
      keep_after: toSqlTimestamp(keepAfter),
    });
  }
}

/** Events the collector accepted with the same source, event name and receipt time (or minute). */
export interface AcceptedEvents {
  readonly sourceId: string;
  /** The validator's event name for these events; '' when the event cannot be parsed. */
  readonly eventName: string;
  readonly receivedAt: Date;
  readonly count: number;
}
