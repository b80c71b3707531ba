import { exec, type ModelContext, type ModelDefinition, query } from '../model.ts';
import { toSqlTimestamp } from '../time.ts';
import { readString } from '../values.ts';

const FILE = 'models/user_index';
/** ops.watermarks.state once the index holds every raw row (built once, then merged run by run). */
const BUILT = 'built';
const EVER = new Date('1970-01-01T00:00:00.000Z');
const NEVER = new Date('9999-12-31T00:00:00.000Z');

/**
 * curated.user_index: the raw rows each run reads, folded per user, workspace and month, so erasures and
 * per-user recomputes read a user's own days. Built from all of raw the first time (a deployment that
 * predates it, a rebuild), then merged from each run's window.
 */
export const userIndex: ModelDefinition = {
  name: 'user_index',
  dependsOn: ['fct_feature_events'],
  sqlFiles: [FILE],
  selectable: true,
  async run(ctx) {
    const { window } = ctx;
    const values = { future_tolerance_minutes: ctx.settings.futureToleranceMinutes };
    if (ctx.previousState !== BUILT) {
      await exec(ctx, FILE, 'delete_all');
      const written = await exec(ctx, FILE, 'merge_window', {
        ...values,
        loaded_after: toSqlTimestamp(EVER),
        loaded_until: toSqlTimestamp(NEVER),
      });
      return { rowsRead: 0, rowsWritten: written, state: BUILT };
    }
    if (window.loadedUntil === null) return { rowsRead: 0, rowsWritten: 0, state: BUILT };
    const written = await exec(ctx, FILE, 'merge_window', {
      ...values,
      loaded_after: toSqlTimestamp(window.loadedAfter),
      loaded_until: toSqlTimestamp(window.loadedUntil),
    });
    return { rowsRead: 0, rowsWritten: written, loads: ctx.run.loads, state: BUILT };
  },
  clear: async (ctx) => void (await exec(ctx, FILE, 'delete_all')),
};

/** The fact days of the users a run recomputes (curated.user_index); nulls when it knows none. */
export const recomputeRange = async (
  ctx: ModelContext,
): Promise<{ days_from: string | null; days_to: string | null }> => {
  const [row] = await query(ctx, FILE, 'recompute_range');
  return { days_from: readString(row?.days_from), days_to: readString(row?.days_to) };
};
