import { TransformArgumentError } from './errors.ts';
import type { ModelDefinition, RunWindow } from './model.ts';
import { MODELS, orderModels } from './models/index.ts';
import { factHorizon } from './models/retention.ts';
import { executeRun, type RunReport } from './run-engine.ts';
import { EPOCH, FACT_MODEL, type TransformOptions, withTransformLock } from './runner.ts';
import { resolveTransformSettings, type TransformSettings } from './settings.ts';
import { addDays, parseSqlDate, startOfDay, toSqlDate } from './time.ts';
import { readWatermarks } from './watermarks.ts';

/**
 * Backfill: re-derives a range of event dates from raw through the incremental code path, one day per
 * transaction. Each day re-reads the raw rows of that day that earlier runs already processed (loads up
 * to the fact watermark; newer loads are left to the next incremental run), restores any fact row that
 * is missing, and recomputes every aggregate key of the day whether or not anything changed. Running it
 * twice gives the same tables.
 */
export interface BackfillOptions extends TransformOptions {
  /** First event date, `YYYY-MM-DD` (UTC). */
  readonly from: string;
  /** Last event date, inclusive. */
  readonly to: string;
  /** Aggregates to recompute (default: all). The catalog and fact models always run. */
  readonly models?: readonly string[];
  /** Told after each day commits. */
  readonly onProgress?: (progress: BackfillProgress) => void;
}

export interface BackfillProgress {
  readonly day: string;
  /** 1-based position of the day in the range. */
  readonly index: number;
  readonly total: number;
  readonly report: RunReport;
}

export interface BackfillPlan {
  readonly days: readonly string[];
  readonly models: readonly ModelDefinition[];
}

/** Default aggregates of a backfill: every selectable model but retention (a backfill restores, it does not expire). */
const DEFAULT_SELECTION = MODELS.filter((m) => m.selectable && m.name !== 'retention').map((m) => m.name);

/** Checks a backfill request; every problem is reported at once, each saying how to fix it. */
export const planBackfill = (
  request: { readonly from: string; readonly to: string; readonly models?: readonly string[] },
  asOf: Date,
  settings: TransformSettings,
): BackfillPlan => {
  const problems: string[] = [];
  const from = parseSqlDate(request.from);
  const to = parseSqlDate(request.to);
  if (!from) problems.push(`--from ${JSON.stringify(request.from)} is not a date: use YYYY-MM-DD`);
  if (!to) problems.push(`--to ${JSON.stringify(request.to)} is not a date: use YYYY-MM-DD`);
  const horizon = factHorizon(asOf, settings);
  const today = startOfDay(asOf);
  if (from && to && from > to) problems.push(`--from ${request.from} is after --to ${request.to}: swap them`);
  if (from && from < horizon) {
    problems.push(
      `--from ${request.from} is before the fact retention horizon ${toSqlDate(horizon)}: older raw and fact rows are deleted, so start at ${toSqlDate(horizon)} or later`,
    );
  }
  if (to && to > today)
    problems.push(`--to ${request.to} is in the future: end at ${toSqlDate(today)} or earlier`);
  const known = new Map(MODELS.map((m) => [m.name, m]));
  const chosen = request.models && request.models.length > 0 ? request.models : DEFAULT_SELECTION;
  for (const name of chosen) {
    if (!known.has(name)) {
      problems.push(
        `unknown model ${JSON.stringify(name)}: choose from ${MODELS.map((m) => m.name).join(', ')}`,
      );
    }
  }
  if (problems.length > 0 || !from || !to) throw new TransformArgumentError(problems);
  const days: string[] = [];
  for (let day = from; day <= to; day = addDays(day, 1)) days.push(toSqlDate(day));
  const models = orderModels(MODELS).filter((m) => !m.selectable || chosen.includes(m.name));
  return { days, models };
};

/** Backfills `from`..`to`, a day per transaction, under the transform lock. Returns one report per day. */
export const runBackfill = async (options: BackfillOptions): Promise<RunReport[]> => {
  const settings = resolveTransformSettings(options.settings);
  const asOf = (options.clock ?? (() => new Date()))();
  const plan = planBackfill(options, asOf, settings);
  return withTransformLock(options, async ({ deps }) => {
    const marks = await readWatermarks(deps.warehouse, deps.sql);
    if (!marks.get(FACT_MODEL)?.loadedAt) {
      throw new TransformArgumentError([
        'nothing has been transformed yet: run the transform first, then backfill',
      ]);
    }
    const reports: RunReport[] = [];
    for (const [i, day] of plan.days.entries()) {
      const report = await executeRun(deps, {
        mode: 'backfill',
        models: plan.models,
        clearFirst: false,
        advanceWatermarks: false,
        window: async (_tx, marks, runAsOf): Promise<RunWindow> => {
          const processed = marks.get(FACT_MODEL)?.loadedAt ?? null;
          if (!processed)
            throw new TransformArgumentError(['nothing has been transformed yet: run the transform first']);
          const start = parseSqlDate(day) ?? EPOCH;
          const horizon = factHorizon(runAsOf, deps.settings);
          return {
            loadedAfter: EPOCH,
            loadedUntil: processed,
            eventFrom: new Date(Math.max(start.getTime(), horizon.getTime())),
            eventBefore: addDays(start, 1),
            forced: { from: day, to: day },
          };
        },
      });
      reports.push(report);
      options.onProgress?.({ day, index: i + 1, total: plan.days.length, report });
    }
    return reports;
  });
};
