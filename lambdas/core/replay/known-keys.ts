import { bindParams } from '#core/warehouse/sql-exec.ts';
import type { SqlLibrary } from '#core/warehouse/sql-library.ts';
import { toSqlTimestamp } from '#core/warehouse/time.ts';
import { readTimestamp } from '#core/warehouse/values.ts';
import type { ReplayWarehouse } from './ports.ts';

/** A validated line about to be replayed: its dedup key and the UTC date of its event time. */
export interface ReplayCandidate {
  readonly dedupKey: string;
  /** `YYYY-MM-DD`, the fact's `event_date`. */
  readonly eventDate: string;
}

/**
 * Raw rows loaded this long before the fact's watermark are looked up too: the transform re-reads a
 * short overlap behind its watermark, and a run may have committed while the lookup ran.
 */
const WATERMARK_MARGIN_MS = 3_600_000;

/**
 * Looks up which candidates' dedup keys the warehouse already has (sql/replay/known_keys.sql): in the
 * fact, pruned to the candidates' event dates, or in raw rows loaded after the fact's watermark. Every
 * other raw row is in the fact already, so no read grows with history.
 */
export class KnownKeys {
  #loadedAfter: string | undefined;

  constructor(
    private readonly warehouse: ReplayWarehouse,
    private readonly model: string,
    private readonly sql: SqlLibrary,
  ) {}

  /** The keys of `candidates` the warehouse holds. */
  async of(candidates: readonly ReplayCandidate[]): Promise<Set<string>> {
    if (candidates.length === 0) return new Set();
    const dates = candidates.map((c) => c.eventDate).sort();
    const statement = this.sql.statement('replay/known_keys', 'known_keys');
    const rows = await this.warehouse.query(
      statement.sql,
      bindParams(statement, {
        keys: JSON.stringify(candidates.map((c) => ({ k: c.dedupKey }))),
        date_from: dates[0]!,
        date_to: dates.at(-1)!,
        loaded_after: await this.loadedAfter(),
      }),
    );
    return new Set(rows.map((r) => String(r.dedup_key)));
  }

  /** The fact's watermark less the margin, read once per replay; the epoch when the fact has none yet. */
  private async loadedAfter(): Promise<string> {
    if (this.#loadedAfter === undefined) {
      const statement = this.sql.statement('replay/known_keys', 'fact_watermark');
      const [row] = await this.warehouse.query(statement.sql, bindParams(statement, { model: this.model }));
      const mark = readTimestamp(row?.loaded_at_watermark);
      this.#loadedAfter = toSqlTimestamp(new Date(mark === null ? 0 : mark.getTime() - WATERMARK_MARGIN_MS));
    }
    return this.#loadedAfter;
  }
}
