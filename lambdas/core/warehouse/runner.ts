import { randomUUID } from 'node:crypto';
import { type CatalogSource, toCatalogRows } from './catalog-rows.ts';
import { LockReleaseError } from './errors.ts';
import type { ModelDefinition, RunWindow } from './model.ts';
import { MODELS, orderModels } from './models/index.ts';
import { factHorizon } from './models/retention.ts';
import type { Warehouse } from './ports.ts';
import { type EngineDeps, executeRun, type RunPlan, type RunReport } from './run-engine.ts';
import { acquireLock, type LockHandle, releaseLock, TRANSFORM_LOCK } from './run-lock.ts';
import { resolveTransformSettings, type TransformSettings } from './settings.ts';
import { queryStatement } from './sql-exec.ts';
import type { SqlLibrary } from './sql-library.ts';
import { addMinutes, toSqlTimestamp } from './time.ts';
import { readTimestamp } from './values.ts';
import type { Watermark } from './watermarks.ts';

/**
 * Entry points of the model runner. Each takes the transform lock, runs the models in dependency order
 * in one transaction per run (see run-engine.ts) and releases the lock. Incremental runs, rebuilds and
 * backfills share one code path: they differ only in the window of raw rows they read and in whether
 * aggregate keys are forced.
 */
export interface TransformOptions {
  readonly warehouse: Warehouse;
  /** The feature catalog (`loadFeatureCatalog` from `#adapters/node/load-feature-catalog.ts`). */
  readonly catalog: CatalogSource;
  readonly settings?: Partial<TransformSettings>;
  /** The run's clock: watermark times, lock expiry and retention horizons. */
  readonly clock?: () => Date;
  /** Lock owner name, shown to runs that find the lock taken. */
  readonly owner?: string;
  /**
   * `owner` never runs twice at once (the local stack's scheduler), so a lock it still holds from an earlier
   * run whose release failed is taken back (see run-lock.ts). @default false
   */
  readonly exclusiveOwner?: boolean;
  /** The SQL library (`loadSqlLibrary` from `#adapters/node/sql-files.ts`). */
  readonly library: SqlLibrary;
  /**
   * When the run must have ended (a Lambda's timeout). The run starts no statement later than `reserveMs`
   * before it, rolls back instead (RunDeadlineError), and holds the lock until the deadline plus
   * TransformSettings.lockMarginMinutes. None: no limit, and the lock lives lockTtlMinutes.
   */
  readonly deadline?: RunDeadline;
  /**
   * Aborted to stop the run early (the local stack shutting down): it starts no further statement, rolls
   * back (RunStoppedError) and frees the lock.
   */
  readonly signal?: AbortSignal;
}

/** The time a run has: its deadline, and how long before it the last statement may start. */
export interface RunDeadline {
  readonly at: Date;
  /** At least the warehouse's statement timeout plus the time to roll back and free the lock. */
  readonly reserveMs: number;
}

/** Far past / far future bounds for "no bound". */
export const EPOCH = new Date('1970-01-01T00:00:00.000Z');
export const FAR_FUTURE = new Date('9999-12-31T00:00:00.000Z');

export const FACT_MODEL = 'fct_feature_events';

/** What a run did, as its summaries report it: the fact model's rows and the models' time, rounded to ms. */
export const runTotals = (
  report: RunReport,
): { readonly factRowsRead: number; readonly factRowsWritten: number; readonly durationMs: number } => {
  const fact = report.models.find((m) => m.model === FACT_MODEL);
  return {
    factRowsRead: fact?.rowsRead ?? 0,
    factRowsWritten: fact?.rowsWritten ?? 0,
    durationMs: Math.round(report.models.reduce((sum, m) => sum + m.durationMs, 0)),
  };
};

interface Session {
  readonly deps: EngineDeps;
  readonly models: readonly ModelDefinition[];
}

/**
 * How long a run's lock lives: until its deadline plus the margin (a run killed at its deadline blocks the
 * next runs that much longer only), or lockTtlMinutes for a run without one.
 */
export const lockMinutes = (settings: TransformSettings, now: Date, deadline?: RunDeadline): number =>
  deadline
    ? Math.max(1, Math.ceil((deadline.at.getTime() - now.getTime()) / 60_000)) + settings.lockMarginMinutes
    : settings.lockTtlMinutes;

/**
 * Takes the lock, runs `work`, always releases the lock. A failed release after a successful run throws
 * LockReleaseError (the writes are committed; the lock stays until it expires or its exclusive owner
 * takes it back); after a failed run, the run's own error is what is thrown.
 */
export const withTransformLock = async <T>(
  options: TransformOptions,
  work: (session: Session) => Promise<T>,
): Promise<T> => {
  const settings = resolveTransformSettings(options.settings);
  const sql = options.library;
  const clock = options.clock ?? (() => new Date());
  const lock: LockHandle = {
    warehouse: options.warehouse,
    sql,
    owner: options.owner ?? `transform-${randomUUID()}`,
    ttlMinutes: lockMinutes(settings, clock(), options.deadline),
    exclusiveOwner: options.exclusiveOwner ?? false,
  };
  const deps: EngineDeps = {
    warehouse: options.warehouse,
    sql,
    settings,
    catalog: toCatalogRows(options.catalog),
    clock,
    lock,
    deadline: options.deadline ?? null,
    signal: options.signal ?? null,
  };
  await acquireLock(lock, clock());
  let result: T;
  try {
    result = await work({ deps, models: orderModels(MODELS) });
  } catch (error) {
    // the run's failure is the news; a release failing too (the same full disk) leaves the lock to expire
    await releaseLock(lock).catch(() => undefined);
    throw error;
  }
  try {
    await releaseLock(lock);
  } catch (error) {
    throw new LockReleaseError(lock.owner, TRANSFORM_LOCK, { cause: error });
  }
  return result;
};

/**
 * Reads every raw row loaded after the fact watermark (less the overlap), within the fact retention
 * horizon. Exported for plans that run other model lists the same way (the activation spec harness).
 */
export const incrementalWindow =
  (deps: EngineDeps) =>
  async (tx: Warehouse, marks: ReadonlyMap<string, Watermark>, asOf: Date): Promise<RunWindow> => {
    const mark = marks.get(FACT_MODEL)?.loadedAt ?? null;
    const loadedAfter = mark ? addMinutes(mark, -deps.settings.overlapMinutes) : EPOCH;
    const [row] = await queryStatement(tx, deps.sql.statement('models/fct_feature_events', 'window_end'), {
      loaded_after: toSqlTimestamp(loadedAfter),
    });
    return {
      loadedAfter,
      loadedUntil: readTimestamp(row?.loaded_until),
      eventFrom: factHorizon(asOf, deps.settings),
      eventBefore: FAR_FUTURE,
      forced: null,
    };
  };

/** Processes the loads that arrived since the last run. Throws TransformLockedError if another run holds the lock. */
export const runIncremental = (options: TransformOptions): Promise<RunReport> =>
  withTransformLock(options, ({ deps, models }) => {
    const plan: RunPlan = {
      mode: 'incremental',
      models,
      window: incrementalWindow(deps),
      clearFirst: false,
      advanceWatermarks: true,
    };
    return executeRun(deps, plan);
  });

/**
 * Empties the fact and every aggregate, forgets the watermarks and re-derives everything raw holds,
 * through the incremental path from watermark zero, in one transaction. Aggregate rows older than the
 * raw retention are not re-derivable and are gone after a rebuild (use backfill for a range instead).
 */
export const runRebuild = (options: TransformOptions): Promise<RunReport> =>
  withTransformLock(options, ({ deps, models }) =>
    executeRun(deps, {
      mode: 'rebuild',
      models,
      window: incrementalWindow(deps),
      clearFirst: true,
      advanceWatermarks: true,
    }),
  );
