import { randomUUID } from 'node:crypto';
import { reasonOf } from '#core/errors/tally-error.ts';
import { type Sleep, sleep } from '#core/retry/sleep.ts';
import type { CatalogSource } from '#core/warehouse/catalog-rows.ts';
import type { Warehouse } from '#core/warehouse/ports.ts';
import type { TransformSettings } from '#core/warehouse/settings.ts';
import type { SqlLibrary } from '#core/warehouse/sql-library.ts';
import type { ErasureContext, ErasureProgress, ErasureStepRun } from './erasure-context.ts';
import { acquireErasureLock, releaseErasureLock } from './erasure-lock.ts';
import { ErasureStepError } from './errors.ts';
import type { ObjectWorkQueue } from './object-work.ts';
import type { ObjectStore } from './ports.ts';
import type { ErasureRequest, ErasureStep } from './request-record.ts';
import { logStep, setRequestError } from './request-store.ts';
import { type ErasureSettings, resolveErasureSettings } from './settings.ts';
import { objectsStep } from './steps/objects.ts';
import { resolveStep } from './steps/resolve.ts';
import { suppressStep } from './steps/suppress.ts';
import { verifyStep } from './steps/verify.ts';
import { warehouseStep } from './steps/warehouse.ts';

/** What the erasure runs on; the CLI and the Lambda build it from their adapters. */
export interface ErasureDeps {
  readonly warehouse: Warehouse;
  /** The raw bucket: S3, or the local bucket folder. */
  readonly objects: ObjectStore;
  /** The feature catalog (`loadFeatureCatalog`), for the model runner. */
  readonly catalog: CatalogSource;
  readonly library: SqlLibrary;
  readonly settings?: Partial<ErasureSettings>;
  /** Passed to the model runner (lock TTL, retention); its defaults otherwise. */
  readonly transformSettings?: Partial<TransformSettings>;
  readonly clock?: () => Date;
  /** Lock owner name, shown to runs that find the erasure lock taken. */
  readonly owner?: string;
  readonly onProgress?: (event: ErasureProgress) => void;
  readonly sleep?: Sleep;
  /** The objects and verify steps' fan-out (AWS: SQS); unset, the steps work the objects themselves. */
  readonly objectQueue?: ObjectWorkQueue;
}

const STEPS: Readonly<Record<Exclude<ErasureStep, 'done'>, ErasureStepRun>> = {
  suppress: suppressStep,
  resolve: resolveStep,
  objects: objectsStep,
  warehouse: warehouseStep,
  verify: verifyStep,
};

/** The context of one run, with the settings resolved once. */
export const erasureContext = (deps: ErasureDeps): ErasureContext => {
  const settings = resolveErasureSettings(deps.settings);
  const db = { warehouse: deps.warehouse, sql: deps.library };
  return {
    db,
    objects: deps.objects,
    catalog: deps.catalog,
    settings,
    transformSettings: deps.transformSettings ?? {},
    clock: deps.clock ?? (() => new Date()),
    lock: { db, owner: deps.owner ?? `erasure-${randomUUID()}`, ttlMinutes: settings.lockTtlMinutes },
    progress: deps.onProgress ?? (() => undefined),
    sleep: deps.sleep ?? sleep,
    ...(deps.objectQueue === undefined ? {} : { objectQueue: deps.objectQueue }),
  };
};

/** Runs `work` holding the erasure lock (ErasureLockedError when another run has it). */
export const withErasureLock = async <T>(ctx: ErasureContext, work: () => Promise<T>): Promise<T> => {
  await acquireErasureLock(ctx.lock, ctx.clock());
  try {
    return await work();
  } finally {
    await releaseErasureLock(ctx.lock);
  }
};

/**
 * Runs a request's remaining steps, from the one it records, to completion. Each step is logged in
 * ops.erasure_steps. A failing step leaves the request where it was (with `last_error`) and throws
 * ErasureStepError: the next run resumes there. Verification passes that keep finding data stop the run
 * after `maxVerifyPasses` (the request stays open and is retried; the overdue alarm watches it).
 * The caller holds the erasure lock.
 */
export const advanceRequest = async (ctx: ErasureContext, start: ErasureRequest): Promise<ErasureRequest> => {
  let request = start;
  let verifyFailures = 0;
  while (request.step !== 'done') {
    const step = request.step;
    const startedAt = ctx.clock();
    // the log entry of this attempt, ending now, for the request as it stands
    const ended = (r: ErasureRequest) => ({
      requestId: r.requestId,
      step,
      attempt: r.attempts,
      startedAt,
      finishedAt: ctx.clock(),
    });
    try {
      request = await STEPS[step](ctx, request);
    } catch (error) {
      const message = reasonOf(error);
      await logStep(ctx.db, { ...ended(request), status: 'failed', outcome: null, error: message }).catch(
        () => undefined,
      );
      await setRequestError(ctx.db, request.requestId, `${step}: ${message}`, ctx.clock()).catch(
        () => undefined,
      );
      throw new ErasureStepError(request.requestId, step, { cause: error });
    }
    await logStep(ctx.db, {
      ...ended(request),
      status: 'succeeded',
      outcome: stepOutcome(step, request),
      error: null,
    });
    // A step that stays where it was waits for work outside this run (objects handed to the queue's
    // workers): the request resumes there on the next run.
    if (request.step === step) return request;
    if (step === 'verify' && request.step !== 'done') {
      verifyFailures += 1;
      if (verifyFailures >= ctx.settings.maxVerifyPasses) {
        throw new ErasureStepError(request.requestId, 'verify', {
          cause: new Error(request.lastError ?? 'not clean'),
        });
      }
    }
  }
  return request;
};

/** The counts a step produced, for the audit log (never ids). */
const stepOutcome = (step: ErasureStep, r: ErasureRequest): Record<string, unknown> => {
  switch (step) {
    case 'resolve':
      return { anonymous_ids: r.anonymousIds?.length ?? 0, scan: r.scan };
    case 'objects':
      return {
        objects_scanned: r.objectsScanned,
        objects_rewritten: r.objectsRewritten,
        objects_deleted: r.objectsDeleted,
        lines_removed: r.linesRemoved,
      };
    case 'warehouse':
      return { rows_removed: r.rowsRemoved, rows_by_table: r.rowsByTable };
    case 'verify':
      return { clean: r.status === 'completed', verification: r.verification };
    default:
      return {};
  }
};
