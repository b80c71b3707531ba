import type { CatalogRows } from './catalog-rows.ts';
import type { Row, Warehouse } from './ports.ts';
import type { TransformSettings } from './settings.ts';
import { queryStatement, runStatement, type SqlValues } from './sql-exec.ts';
import type { SqlLibrary } from './sql-library.ts';
import { fillTemplate, type SlotValues } from './template.ts';

/**
 * incremental: new loads since the watermark; backfill: a date range re-derived; rebuild: everything from raw;
 * erasure: a GDPR erasure's warehouse step (its rows deleted, the aggregates of its keys recomputed).
 */
export type RunMode = 'incremental' | 'backfill' | 'rebuild' | 'erasure';

/** What a run reads: raw rows by load time and event time, and the dates to recompute regardless of changes. */
export interface RunWindow {
  /** Exclusive lower bound on raw.events.loaded_at. */
  readonly loadedAfter: Date;
  /** Inclusive upper bound on loaded_at; null when there is nothing to read. */
  readonly loadedUntil: Date | null;
  /** Inclusive lower bound on event_ts (never before the fact retention horizon). */
  readonly eventFrom: Date;
  /** Exclusive upper bound on event_ts. */
  readonly eventBefore: Date;
  /** Event dates (`YYYY-MM-DD`, inclusive) whose aggregates are recomputed even if nothing changed. */
  readonly forced: { readonly from: string; readonly to: string } | null;
}

/** Facts models pass down the run: set by the catalog and fact models, read by the aggregates. */
export interface RunState {
  /** Features whose ancestors changed (added, removed, moved): their events' aggregate keys are recomputed. */
  changedFeatures: readonly string[];
  /** Rows in work.fct_delta (0: the aggregates have nothing to do). */
  deltaRows: number;
  /** Rows in work.fct_delta other than plain inserts (replaced copies, forced keys). */
  recomputeRows: number;
  /** Raw files the fact model read: the lineage of every model fed by its delta. */
  loads: readonly string[];
}

export interface ModelContext {
  readonly tx: Warehouse;
  /** The run's id, as in ops.model_runs (and in any other record the run writes). */
  readonly runId: string;
  readonly sql: SqlLibrary;
  readonly mode: RunMode;
  /** The run's clock reading: retention horizons are relative to it. */
  readonly asOf: Date;
  readonly settings: TransformSettings;
  readonly catalog: CatalogRows;
  readonly window: RunWindow;
  /** The model's ops.watermarks.state from its last run (the catalog models keep a fingerprint there). */
  readonly previousState: string | null;
  readonly run: RunState;
}

export interface ModelOutcome {
  readonly rowsRead: number;
  readonly rowsWritten: number;
  /** Raw files read (lineage); the fact model reports them. */
  readonly loads?: readonly string[];
  /** Kept in ops.watermarks.state. */
  readonly state?: string | null;
}

/** A model: a named step with dependencies, its SQL files, and how it runs them. */
export interface ModelDefinition {
  readonly name: string;
  readonly dependsOn: readonly string[];
  /** Files under `sql/` the model executes. */
  readonly sqlFiles: readonly string[];
  /** Whether `backfill --models` chooses it; the catalog and fact models always run. */
  readonly selectable: boolean;
  /**
   * Whether the model keeps a row in ops.watermarks. A step that reads no loads (the erasure's) keeps none.
   * @default true
   */
  readonly watermark?: boolean;
  run(ctx: ModelContext): Promise<ModelOutcome>;
  /** Empties the model's table, for a rebuild. */
  clear?(ctx: ModelContext): Promise<void>;
}

/** Executes statement `name` of `file` in the run's transaction. */
export const exec = (
  ctx: ModelContext,
  file: string,
  name: string,
  values: SqlValues = {},
): Promise<number> => runStatement(ctx.tx, ctx.sql.statement(file, name), values);

/** Executes template `name` of `file`, its slots filled with `slots`, in the run's transaction. */
export const execTemplate = (
  ctx: ModelContext,
  file: string,
  name: string,
  slots: SlotValues,
  values: SqlValues = {},
): Promise<number> => runStatement(ctx.tx, fillTemplate(ctx.sql.template(file, name), slots), values);

/** Runs query `name` of `file` in the run's transaction. */
export const query = <T extends Row = Row>(
  ctx: ModelContext,
  file: string,
  name: string,
  values: SqlValues = {},
): Promise<T[]> => queryStatement<T>(ctx.tx, ctx.sql.statement(file, name), values);
