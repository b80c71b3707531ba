import type { Warehouse } from '#core/warehouse/ports.ts';
import type { FirstLastRow, StateRow, SummaryRow } from '../reference.ts';

const byKey =
  <T>(key: (row: T) => string) =>
  (a: T, b: T): number =>
    key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;

/** Sorts rows the way the reference does (code-unit order of user, then date), whatever the collation. */
export const sortStates = <T extends { user_key: string; period_start: string }>(rows: T[]): T[] =>
  rows.sort(byKey((r) => `${r.user_key}\u0000${r.period_start}`));

export const sortFirstLast = <T extends { user_key: string; snapshot_date: string }>(rows: T[]): T[] =>
  rows.sort(byKey((r) => `${r.user_key}\u0000${r.snapshot_date}`));

/** The activation view of a fact and grain, as reference rows (sorted by user, then period). */
export const readStates = async (warehouse: Warehouse, fact: string, grain: string): Promise<StateRow[]> =>
  sortStates(
    await warehouse.query<StateRow & Record<string, unknown>>(
      `SELECT * FROM curated.${fact}_activation_${grain}`,
    ),
  );

/** The summary view of a fact and grain, by period. */
export const readSummary = (warehouse: Warehouse, fact: string, grain: string): Promise<SummaryRow[]> =>
  warehouse.query<SummaryRow & Record<string, unknown>>(
    `SELECT * FROM curated.${fact}_activation_${grain}_summary ORDER BY period_start`,
  );

/** curated.user_first_last rows of a fact (sorted by user, then snapshot date). */
export const readFirstLast = async (warehouse: Warehouse, fact: string): Promise<FirstLastRow[]> =>
  sortFirstLast(
    await warehouse.query<FirstLastRow & Record<string, unknown>>(
      `SELECT user_key, snapshot_date, snapshot_grain, first_active_date, last_active_date,
              period_first_active_date, active_days
       FROM curated.user_first_last WHERE fact = '${fact}'`,
    ),
  );
