import { retry } from '#core/retry/retry.ts';
import { TransformLockedError } from '#core/warehouse/errors.ts';
import type { ModelContext, ModelDefinition, RunWindow } from '#core/warehouse/model.ts';
import { executeRun, type RunReport } from '#core/warehouse/run-engine.ts';
import { EPOCH, FACT_MODEL, withTransformLock } from '#core/warehouse/runner.ts';
import { isoWeekStart, toSqlDate } from '#core/warehouse/time.ts';
import { readNumber } from '#core/warehouse/values.ts';
import { type ErasureContext, type ErasureStepRun, subjectOf } from '../erasure-context.ts';
import { type ErasureDb, exec, idList, query, within } from '../erasure-db.ts';
import { subjectRejectedRows } from '../rejected-rows.ts';
import type { ErasureRequest } from '../request-record.ts';
import { readRequest, saveRequest } from '../request-store.ts';
import { type ErasureSubject, userKeys } from '../subject.ts';
import { subjectRanges } from '../subject-ranges.ts';
import { addressable, discoverUserTables, subjectRows } from '../user-tables.ts';

/** The model that stands in for the fact model in the erasure's run; its aggregates follow it. */
export const ERASURE_MODEL = 'erasure';

/** Scratch table whose keys drive the aggregates' recompute: emptied after the run, not by the generic delete. */
const DELTA_TABLE = 'work.fct_delta';

const NO_WINDOW: RunWindow = {
  loadedAfter: EPOCH,
  loadedUntil: null,
  eventFrom: EPOCH,
  eventBefore: EPOCH,
  forced: null,
};

/** The aggregate models: everything downstream of the fact model but retention (an erasure expires nothing). */
const aggregatesOf = (models: readonly ModelDefinition[]): ModelDefinition[] => {
  const downstream = new Set([FACT_MODEL]);
  for (const model of models) {
    if (model.dependsOn.some((d) => downstream.has(d))) downstream.add(model.name);
  }
  return models.filter((m) => m.name !== FACT_MODEL && m.name !== 'retention' && downstream.has(m.name));
};

/** Deletes the rejected rows the exact rule matches; returns how many. */
const eraseRejected = async (db: ErasureDb, subject: ErasureSubject): Promise<number> => {
  const rows = await subjectRejectedRows(db, subject);
  return rows.length === 0 ? 0 : exec(db, 'erase', 'delete_rejected_rows', { rows: JSON.stringify(rows) });
};

/**
 * The erasure as a model of the runner: queues the subject's aggregate keys in work.fct_delta (from the fact
 * and from the last-seen tables), deletes the subject's rows from every user-level table, and records the
 * request's progress in the same transaction. The aggregate models then recompute exactly those keys (a
 * workspace left without users loses its adoption rows there).
 */
const erasureModel = (ctx: ErasureContext, request: ErasureRequest): ModelDefinition => ({
  name: ERASURE_MODEL,
  dependsOn: [],
  sqlFiles: [
    'erasure/erase',
    'erasure/subject',
    'erasure/user_tables',
    'erasure/suppression',
    'models/fct_feature_events',
  ],
  selectable: false,
  // It reads no loads: no ops.watermarks row.
  watermark: false,
  async run(run: ModelContext) {
    const db = within(ctx.db, run.tx);
    const subject = subjectOf(request);
    const keys = {
      user_keys: idList(userKeys(subject)),
      dedup_keys: idList(request.mentionKeys),
      workspace_id: subject.workspaceId,
    };
    // where the subject's rows are (curated.user_index; its entries go at verification, once nothing is left)
    const ranges = await subjectRanges(db, subject);
    await exec(db, 'erase', 'clear_delta');
    for (const days of ranges.days) {
      await exec(db, 'erase', 'delta_from_fact', { ...keys, days_from: days.from, days_to: days.to });
    }
    if (request.mentionKeys.length > 0) await exec(db, 'erase', 'delta_from_mentions', keys);
    await exec(db, 'erase', 'delta_from_last_seen', {
      ...keys,
      as_of_date: toSqlDate(run.asOf),
      as_of_week: toSqlDate(isoWeekStart(run.asOf)),
    });
    const byTable: Record<string, number> = { 'raw.rejected_events': await eraseRejected(db, subject) };
    if (request.mentionKeys.length > 0) {
      byTable['raw.events'] = await exec(db, 'erase', 'delete_events_by_dedup_key', keys);
      byTable['curated.fct_feature_events'] = await exec(db, 'erase', 'delete_facts_by_dedup_key', keys);
    }
    for (const table of await discoverUserTables(db)) {
      if (table.name === DELTA_TABLE || !addressable(table, subject)) continue;
      byTable[table.name] =
        (byTable[table.name] ?? 0) + (await subjectRows(db, 'delete', table, subject, ranges));
    }
    // Staging's record of the subject's suppressed rows goes with them (any row no longer in raw.events).
    await exec(db, 'suppression', 'forget_erased_rows');
    // The fact model's scratch copy of its last batch may hold the subject's rows, mentions included; the
    // next run empties and refills it anyway.
    await exec(db, 'models/fct_feature_events', 'clear_batch');
    const [delta] = await query(db, 'erase', 'delta_rows');
    const deltaRows = readNumber(delta?.n) ?? 0;
    // Every queued key is a forced recompute: the last-seen models rebuild the subject's rows (now none).
    run.run.deltaRows = deltaRows;
    run.run.recomputeRows = deltaRows;
    const rowsRemoved = Object.values(byTable).reduce((a, b) => a + b, 0);
    const now = ctx.clock();
    await saveRequest(db, {
      ...request,
      rowsRemoved,
      rowsByTable: byTable,
      warehouseDoneAt: now,
      step: 'verify',
      updatedAt: now,
    });
    return { rowsRead: deltaRows, rowsWritten: rowsRemoved };
  },
});

/** A transform holding the lock is waited for twice, 10 s each time, before the step fails for this run. */
const LOCK_RETRY = { maxAttempts: 3, baseDelayMs: 10_000, maxDelayMs: 10_000, jitter: 'none' } as const;

/**
 * Erases the subject from the warehouse through the model runner's own path, in one transaction under the
 * transform lock: the erasure model, then every aggregate model on the keys it queued, so each aggregate
 * equals a rebuild without the subject. work.fct_delta is emptied afterwards (it names the subject). A
 * transform holding the lock is waited for a few times; then the step fails and resumes on the next run.
 */
export const warehouseStep: ErasureStepRun = async (ctx, request) => {
  const report = await retry(
    () =>
      withTransformLock(
        {
          warehouse: ctx.db.warehouse,
          catalog: ctx.catalog,
          settings: ctx.transformSettings,
          clock: ctx.clock,
          owner: `erasure-${request.requestId}`,
          library: ctx.db.sql,
        },
        async ({ deps, models }): Promise<RunReport> => {
          const run = await executeRun(deps, {
            mode: 'erasure',
            models: [erasureModel(ctx, request), ...aggregatesOf(models)],
            window: async () => NO_WINDOW,
            clearFirst: false,
            advanceWatermarks: false,
          });
          await exec(ctx.db, 'erase', 'clear_delta');
          return run;
        },
      ),
    {
      policy: LOCK_RETRY,
      isRetryable: (error) => error instanceof TransformLockedError,
      onRetry: ({ error }) =>
        ctx.progress({
          requestId: request.requestId,
          step: 'warehouse',
          message: `${(error as TransformLockedError).message}; waiting`,
        }),
      sleep: ctx.sleep,
    },
  );
  const saved = (await readRequest(ctx.db, request.requestId)) ?? request;
  ctx.progress({
    requestId: request.requestId,
    step: 'warehouse',
    message:
      `${saved.rowsRemoved} row(s) removed (${
        Object.entries(saved.rowsByTable ?? {})
          .filter(([, n]) => n > 0)
          .map(([t, n]) => `${t} ${n}`)
          .join(', ') || 'none'
      }); aggregates recomputed by ` +
      report.models
        .filter((m) => m.model !== ERASURE_MODEL)
        .map((m) => m.model)
        .join(', '),
  });
  return saved;
};
