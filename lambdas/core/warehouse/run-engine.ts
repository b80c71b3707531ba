import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { CatalogRows } from './catalog-rows.ts';
import { ModelRunError, RunDeadlineError, RunStoppedError, TransformLockLostError } from './errors.ts';
import type { ModelContext, ModelDefinition, ModelOutcome, RunMode, RunState, RunWindow } from './model.ts';
import type { Warehouse } from './ports.ts';
import { type QueryTagging, withQueryTag } from './query-tag.ts';
import { type LockHandle, renewLock } from './run-lock.ts';
import { logModelRuns, type ModelRunRecord } from './run-log.ts';
import type { TransformSettings } from './settings.ts';
import type { SqlLibrary } from './sql-library.ts';
import { deleteWatermarks, readWatermarks, type Watermark, writeWatermarks } from './watermarks.ts';

/** Everything a run needs besides its plan. */
export interface EngineDeps {
  readonly warehouse: Warehouse;
  readonly sql: SqlLibrary;
  readonly settings: TransformSettings;
  readonly catalog: CatalogRows;
  readonly clock: () => Date;
  /** A lock this process holds; renewed inside the run's transaction. */
  readonly lock: LockHandle;
  /** When the run must have ended; null: no limit. */
  readonly deadline?: { readonly at: Date; readonly reserveMs: number } | null;
  /** Aborted when the run should stop early (a shutdown): no statement starts after it. */
  readonly signal?: AbortSignal | null;
}

/**
 * The run's transaction, refusing to start a statement less than `reserveMs` before the deadline, or once the
 * run is asked to stop: the run then rolls back while there is still time to do so and to free the lock,
 * instead of being killed mid-way or holding up a shutdown until its last model.
 */
const withRunLimits = (tx: Warehouse, deps: EngineDeps): Warehouse => {
  const { deadline, signal } = deps;
  if (!deadline && !signal) return tx;
  const check = (): void => {
    if (signal?.aborted) throw new RunStoppedError(stopReason(signal));
    if (deadline && deps.clock().getTime() > deadline.at.getTime() - deadline.reserveMs) {
      throw new RunDeadlineError(deadline.at, deadline.reserveMs);
    }
  };
  const guard = (target: Warehouse): Warehouse => {
    const tagging = target as Warehouse & Partial<QueryTagging>;
    const guarded: Warehouse & Partial<QueryTagging> = {
      dialect: target.dialect,
      execute: (sql, params) => {
        check();
        return target.execute(sql, params);
      },
      query: (sql, params) => {
        check();
        return target.query(sql, params);
      },
      transaction: (work) => target.transaction(() => work(guarded)),
      close: () => target.close(),
      // a model's statements are tagged with its name (Snowflake): the tagged handle is guarded too
      ...(typeof tagging.withQueryTag === 'function'
        ? { withQueryTag: (suffix: string) => guard(withQueryTag(target, suffix)) }
        : {}),
    };
    return guarded;
  };
  return guard(tx);
};

/** What one run does. */
export interface RunPlan {
  readonly mode: RunMode;
  /** Models to run, already in dependency order. */
  readonly models: readonly ModelDefinition[];
  /** The window, computed inside the transaction once the watermarks are read. */
  readonly window: (tx: Warehouse, marks: ReadonlyMap<string, Watermark>, asOf: Date) => Promise<RunWindow>;
  /** Rebuild: empty the models' tables and every watermark first. */
  readonly clearFirst: boolean;
  /** Incremental and rebuild move watermarks to the window's end; a backfill leaves them. */
  readonly advanceWatermarks: boolean;
}

export interface ModelReport extends ModelOutcome {
  readonly model: string;
  readonly durationMs: number;
}

export interface RunReport {
  readonly runId: string;
  readonly mode: RunMode;
  readonly window: RunWindow;
  readonly models: readonly ModelReport[];
}

const later = (a: Date | null, b: Date | null): Date | null => (a && b ? (a > b ? a : b) : (a ?? b));

/**
 * Runs the plan's models in one transaction: their writes, the watermarks and the ops.model_runs rows
 * commit together or not at all. A failing model rolls everything back; the failure is then logged on
 * its own and rethrown as ModelRunError.
 */
export const executeRun = async (deps: EngineDeps, plan: RunPlan): Promise<RunReport> => {
  const runId = randomUUID();
  const asOf = deps.clock();
  let current = '(start)';
  let window: RunWindow | null = null;
  const started = performance.now();
  try {
    return await deps.warehouse.transaction(async (open) => {
      const tx = withRunLimits(open, deps);
      if (!(await renewLock(deps.lock, asOf, tx))) throw new TransformLockLostError(deps.lock.owner);
      const state: RunState = { changedFeatures: [], deltaRows: 0, recomputeRows: 0, loads: [] };
      const base = {
        tx,
        runId,
        sql: deps.sql,
        mode: plan.mode,
        asOf,
        settings: deps.settings,
        catalog: deps.catalog,
      };
      if (plan.clearFirst) {
        for (const model of [...plan.models].reverse()) {
          current = model.name;
          await model.clear?.({ ...base, window: EMPTY_WINDOW, previousState: null, run: state });
        }
        await deleteWatermarks(tx, deps.sql);
      }
      const marks = await readWatermarks(tx, deps.sql);
      current = '(window)';
      window = await plan.window(tx, marks, asOf);
      const reports: ModelReport[] = [];
      const records: ModelRunRecord[] = [];
      // written together after the last model (no model reads ops.watermarks or ops.model_runs mid-run)
      const moved = new Map<string, Watermark>();
      for (const model of plan.models) {
        current = model.name;
        const mark = marks.get(model.name);
        const ctx: ModelContext = {
          ...base,
          tx: withQueryTag(tx, model.name),
          window,
          previousState: mark?.state ?? null,
          run: state,
        };
        const t0 = performance.now();
        const startedAt = deps.clock();
        const outcome = await model.run(ctx);
        const durationMs = performance.now() - t0;
        const keepsWatermark = model.watermark !== false;
        const next: Watermark = {
          loadedAt: plan.advanceWatermarks
            ? later(mark?.loadedAt ?? null, window.loadedUntil)
            : (mark?.loadedAt ?? null),
          state: outcome.state ?? mark?.state ?? null,
        };
        if (
          keepsWatermark &&
          (next.loadedAt?.getTime() !== mark?.loadedAt?.getTime() ||
            next.state !== (mark?.state ?? null) ||
            !mark)
        ) {
          moved.set(model.name, next);
        }
        reports.push({ model: model.name, durationMs, ...outcome });
        records.push(
          record(
            runId,
            plan.mode,
            model.name,
            startedAt,
            deps.clock(),
            durationMs,
            outcome,
            keepsWatermark ? mark : undefined,
            keepsWatermark ? next : NO_WATERMARK,
            window,
          ),
        );
      }
      current = '(log)';
      await writeWatermarks(tx, deps.sql, moved, runId, asOf);
      await logModelRuns(tx, deps.sql, records);
      return { runId, mode: plan.mode, window, models: reports };
    });
  } catch (thrown) {
    if (thrown instanceof TransformLockLostError) throw thrown;
    // out of time or stopped: say so, not which statement the guard happened to stop (it is wrapped in a query error)
    const error = limitIn(thrown) ?? thrown;
    await logFailure(deps, runId, plan.mode, current, asOf, performance.now() - started, window, error);
    throw new ModelRunError(current, runId, { cause: error });
  }
};

/** The RunDeadlineError or RunStoppedError an error is, or was caused by. */
const limitIn = (error: unknown): RunDeadlineError | RunStoppedError | undefined => {
  for (let e = error; e instanceof Error; e = e.cause) {
    if (e instanceof RunDeadlineError || e instanceof RunStoppedError) return e;
  }
  return undefined;
};

const stopReason = (signal: AbortSignal): string =>
  signal.reason instanceof Error ? signal.reason.message : String(signal.reason ?? 'asked to stop');

/** What ops.model_runs shows for a model that keeps no watermark. */
const NO_WATERMARK: Watermark = { loadedAt: null, state: null };

const EMPTY_WINDOW: RunWindow = {
  loadedAfter: new Date(0),
  loadedUntil: null,
  eventFrom: new Date(0),
  eventBefore: new Date(0),
  forced: null,
};

const record = (
  runId: string,
  mode: RunMode,
  model: string,
  startedAt: Date,
  finishedAt: Date,
  durationMs: number,
  outcome: ModelOutcome,
  before: Watermark | undefined,
  after: Watermark,
  window: RunWindow,
): ModelRunRecord => ({
  runId,
  model,
  mode,
  status: 'succeeded',
  startedAt,
  finishedAt,
  durationMs,
  rowsRead: outcome.rowsRead,
  rowsWritten: outcome.rowsWritten,
  watermarkFrom: before?.loadedAt ?? null,
  watermarkTo: after.loadedAt,
  rangeFrom: window.forced?.from ?? null,
  rangeTo: window.forced?.to ?? null,
  loads: outcome.loads ?? [],
  error: null,
});

/** Best effort: a failure to log the failure must not hide the failure itself. */
const logFailure = async (
  deps: EngineDeps,
  runId: string,
  mode: RunMode,
  model: string,
  startedAt: Date,
  durationMs: number,
  window: RunWindow | null,
  error: unknown,
): Promise<void> => {
  await logModelRuns(deps.warehouse, deps.sql, [
    {
      runId,
      model,
      mode,
      status: 'failed',
      startedAt,
      finishedAt: deps.clock(),
      durationMs,
      rowsRead: 0,
      rowsWritten: 0,
      watermarkFrom: null,
      watermarkTo: null,
      rangeFrom: window?.forced?.from ?? null,
      rangeTo: window?.forced?.to ?? null,
      loads: [],
      error: error instanceof Error ? error.message : String(error),
    },
  ]).catch(() => undefined);
};
