import { exec, type ModelContext, type ModelDefinition, query } from '../model.ts';
import type { SqlValues } from '../sql-exec.ts';
import { addDays, parseSqlDate, toSqlDate, toSqlTimestamp } from '../time.ts';
import { readNumber, readString } from '../values.ts';

const FILE = 'models/fct_feature_events';
/** Suppression at staging: records (and counts) the raw rows of erased users; stage drops what it recorded. */
const SUPPRESSION = 'erasure/suppression';

const countBy = async (ctx: ModelContext, statement: string, key: string): Promise<Map<string, number>> => {
  const rows = await query(ctx, FILE, statement);
  return new Map(rows.map((r) => [readString(r[key]) ?? '', readNumber(r.n) ?? 0]));
};

/**
 * Records the window's rows of erased users not recorded yet (ops.erasure_staged_rows) and counts them per
 * erased id in ops.erasure_suppressions, so a row read again is counted once. Stage then drops every
 * recorded row, so this must run first, in the same transaction.
 */
const recordSuppressed = async (ctx: ModelContext, window: SqlValues): Promise<void> => {
  const stamp = { run_id: ctx.runId, suppressed_at: toSqlTimestamp(ctx.asOf) };
  const marked = await exec(ctx, SUPPRESSION, 'mark_staged', { ...window, ...stamp });
  if (marked > 0) await exec(ctx, SUPPRESSION, 'record_staged', stamp);
};

/** A closed range of days, `YYYY-MM-DD`. */
export interface DayRange {
  readonly from: string;
  readonly to: string;
}

/**
 * The ranges of days that cover every day within `window` days of one of `days` (sorted or not), merged
 * where they touch: where a run looks stored copies up. New rows of an ordinary run span a few days (late
 * events), so this is one range of a week or so; an event months late adds a small range of its own
 * instead of stretching one range over the months between.
 */
export const dedupRanges = (days: readonly string[], window: number): DayRange[] => {
  const sorted = [...new Set(days)].sort();
  const ranges: { from: Date; to: Date }[] = [];
  for (const text of sorted) {
    const day = parseSqlDate(text);
    if (!day) continue;
    const from = addDays(day, -window);
    const to = addDays(day, window);
    const last = ranges.at(-1);
    if (last && from.getTime() <= addDays(last.to, 1).getTime()) last.to = to;
    else ranges.push({ from, to });
  }
  return ranges.map((r) => ({ from: toSqlDate(r.from), to: toSqlDate(r.to) }));
};

/**
 * Dedups the staged rows against the fact within the dedup window: finds stored copies range by range,
 * drops staged rows a stored copy precedes, marks the stored copies a staged row precedes as replaced.
 * Returns how many stored copies are replaced.
 */
const dedupAgainstFact = async (ctx: ModelContext): Promise<number> => {
  const window = { dedup_window_days: ctx.settings.dedupWindowDays };
  const days = (await query(ctx, FILE, 'batch_days')).map((r) => readString(r.event_date) ?? '');
  for (const range of dedupRanges(days, ctx.settings.dedupWindowDays)) {
    await exec(ctx, FILE, 'find_stored', { ...window, days_from: range.from, days_to: range.to });
  }
  await exec(ctx, FILE, 'drop_superseded', window);
  return exec(ctx, FILE, 'mark_replaced', window);
};

/**
 * curated.fct_feature_events: dedups the window's raw rows (against the fact within the dedup window, see
 * {@link dedupAgainstFact}), inserts new keys, replaces stored copies that a newly loaded, earlier-received
 * copy supersedes, and leaves in work.fct_delta the keys the aggregates must recompute (plus every key of
 * the forced dates, and of the events of features whose ancestors changed). event_ts beyond received_at +
 * futureToleranceMinutes is clamped. Rows of erased users (ops.erased_users) are counted and never staged.
 */
export const fctFeatureEvents: ModelDefinition = {
  name: 'fct_feature_events',
  dependsOn: ['dim_feature', 'feature_closure'],
  sqlFiles: [FILE, SUPPRESSION],
  selectable: false,
  async run(ctx) {
    await exec(ctx, FILE, 'clear_batch');
    await exec(ctx, FILE, 'clear_delta');
    await exec(ctx, FILE, 'clear_stored');
    const { window } = ctx;
    let rowsRead = 0;
    let rowsWritten = 0;
    let loads: string[] = [];
    if (window.loadedUntil !== null) {
      const values = {
        loaded_after: toSqlTimestamp(window.loadedAfter),
        loaded_until: toSqlTimestamp(window.loadedUntil),
        event_from: toSqlTimestamp(window.eventFrom),
        event_before: toSqlTimestamp(window.eventBefore),
        late_window_hours: ctx.settings.lateWindowHours,
        future_tolerance_minutes: ctx.settings.futureToleranceMinutes,
      };
      const files = await query(ctx, FILE, 'window_loads', values);
      loads = files.map((f) => readString(f.file_name) ?? '');
      rowsRead = files.reduce((sum, f) => sum + (readNumber(f.rows_read) ?? 0), 0);
      await recordSuppressed(ctx, values);
      await exec(ctx, FILE, 'stage', values);
      if ((await dedupAgainstFact(ctx)) > 0) {
        await exec(ctx, FILE, 'mark_replacing');
        const [days] = await query(ctx, FILE, 'replaced_days');
        await exec(ctx, FILE, 'delta_replaced');
        await exec(ctx, FILE, 'delete_replaced', {
          days_from: readString(days?.days_from),
          days_to: readString(days?.days_to),
        });
      }
      const actions = await countBy(ctx, 'batch_counts', 'action');
      const replaced = actions.get('replace') ?? 0;
      await exec(ctx, FILE, 'delta_batch');
      await exec(ctx, FILE, 'insert_batch');
      rowsWritten = (actions.get('insert') ?? 0) + replaced;
    }
    if (window.forced) {
      await exec(ctx, FILE, 'delta_forced', { forced_from: window.forced.from, forced_to: window.forced.to });
    }
    if (ctx.run.changedFeatures.length > 0) {
      const ids = JSON.stringify(ctx.run.changedFeatures.map((id) => ({ feature_id: id })));
      await exec(ctx, FILE, 'delta_forced_features', { feature_ids: ids });
    }
    const changes = await countBy(ctx, 'delta_counts', 'change');
    const total = [...changes.values()].reduce((a, b) => a + b, 0);
    ctx.run.deltaRows = total;
    ctx.run.recomputeRows = total - (changes.get('insert') ?? 0);
    ctx.run.loads = loads;
    await exec(ctx, FILE, 'clear_stored');
    return { rowsRead, rowsWritten, loads };
  },
  clear: async (ctx) => void (await exec(ctx, FILE, 'delete_all')),
};
