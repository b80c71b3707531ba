import type { Warehouse } from './ports.ts';
import { queryStatement, runStatement } from './sql-exec.ts';
import type { SqlLibrary } from './sql-library.ts';
import { toSqlTimestamp } from './time.ts';
import { readString, readTimestamp } from './values.ts';

const FILE = 'ops/watermarks';

/** A model's position: how far into raw.events (loaded_at) its output reflects, and its stored state. */
export interface Watermark {
  readonly loadedAt: Date | null;
  readonly state: string | null;
}

export const readWatermarks = async (
  warehouse: Warehouse,
  sql: SqlLibrary,
): Promise<Map<string, Watermark>> => {
  const rows = await queryStatement(warehouse, sql.statement(FILE, 'read_all'));
  return new Map(
    rows.map((r) => [
      readString(r.model_name) ?? '',
      { loadedAt: readTimestamp(r.loaded_at_watermark), state: readString(r.state) },
    ]),
  );
};

/** Moves the watermarks of the given models, in one statement. */
export const writeWatermarks = async (
  warehouse: Warehouse,
  sql: SqlLibrary,
  marks: ReadonlyMap<string, Watermark>,
  runId: string,
  now: Date,
): Promise<void> => {
  if (marks.size === 0) return;
  const rows = [...marks].map(([model, mark]) => ({
    model_name: model,
    loaded_at_watermark: mark.loadedAt ? toSqlTimestamp(mark.loadedAt) : null,
    state: mark.state,
  }));
  await runStatement(warehouse, sql.statement(FILE, 'upsert'), {
    marks: JSON.stringify(rows),
    run_id: runId,
    updated_at: toSqlTimestamp(now),
  });
};

export const deleteWatermarks = async (warehouse: Warehouse, sql: SqlLibrary): Promise<void> => {
  await runStatement(warehouse, sql.statement(FILE, 'delete_all'));
};
