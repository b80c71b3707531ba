import { exec, type ModelContext, type ModelDefinition, query } from '#core/warehouse/model.ts';
import { addDays, startOfDay, toSqlDate } from '#core/warehouse/time.ts';
import { readNumber } from '#core/warehouse/values.ts';

const FILE = 'cohorts/cohort_retention';

/** Name of the model (and of its row in ops.watermarks and ops.model_runs). */
export const COHORT_RETENTION_MODEL = 'cohort_retention';

/** The first cohort week kept: the aggregates' 3-year horizon from the run's clock. */
const horizonOf = (ctx: ModelContext): string =>
  toSqlDate(startOfDay(addDays(ctx.asOf, -ctx.settings.aggregateRetentionDays)));

const count = async (ctx: ModelContext, statement: string, column: string): Promise<number> => {
  const [row] = await query(ctx, FILE, statement);
  return readNumber(row?.[column]) ?? 0;
};

const clearScratch = async (ctx: ModelContext): Promise<void> => {
  await exec(ctx, FILE, 'clear_pairs');
  await exec(ctx, FILE, 'clear_moves');
  await exec(ctx, FILE, 'clear_changes');
};

/** Applies the run's (user, week) changes to the cohort tables; returns the rows of curated.cohort_retention changed. */
const applyDelta = async (ctx: ModelContext, horizon: string): Promise<number> => {
  await exec(ctx, FILE, 'mark_was_active');
  await exec(ctx, FILE, 'mark_inserts_active');
  // only replaced copies, backfills and erasures can take a week away: then the fact says, for those pairs
  if (ctx.run.recomputeRows > 0) await exec(ctx, FILE, 'mark_present');
  await exec(ctx, FILE, 'stage_moves');
  await exec(ctx, FILE, 'first_week_kept');
  if ((await count(ctx, 'lost_first_week_count', 'n')) > 0) await exec(ctx, FILE, 'first_week_lost');
  await exec(ctx, FILE, 'first_events');
  await exec(ctx, FILE, 'keep_expired_first_events');
  await exec(ctx, FILE, 'mark_changed');
  await exec(ctx, FILE, 'changes_kept_members');
  await exec(ctx, FILE, 'changes_new_users');
  // a member changing cell (a late first event, a lost first week) is rare: only then are all its weeks read
  if ((await count(ctx, 'move_counts', 'members_moved')) > 0) {
    await exec(ctx, FILE, 'changes_moved_out');
    await exec(ctx, FILE, 'changes_moved_in');
  }
  let written = await exec(ctx, FILE, 'merge_changes', { aggregate_horizon: horizon });
  await exec(ctx, FILE, 'refresh_cells');
  written += await exec(ctx, FILE, 'drop_empty');
  await exec(ctx, FILE, 'apply_weeks_lost');
  await exec(ctx, FILE, 'apply_weeks_gained');
  await exec(ctx, FILE, 'apply_members_left');
  await exec(ctx, FILE, 'apply_members_joined');
  return written;
};

/**
 * curated.cohort_retention: weekly cohorts (first-seen ISO week, split by the first event's platform, app
 * version and locale) and, for every week since, the members active that week and their share. Incremental
 * on the (user, week) pairs of the run's fact delta (sql/cohorts/cohort_retention.sql says how); after an
 * erasure, which deletes the subject's member and week rows itself, the table is counted again from those
 * two tables (never from the fact). Keeps 3 years of cohorts, like the other aggregates.
 */
export const cohortRetentionModel: ModelDefinition = {
  name: COHORT_RETENTION_MODEL,
  dependsOn: ['fct_feature_events'],
  sqlFiles: [FILE],
  selectable: true,
  async run(ctx) {
    const horizon = horizonOf(ctx);
    let pairs = 0;
    let written = 0;
    if (ctx.run.deltaRows > 0) {
      pairs = await exec(ctx, FILE, 'stage_pairs');
      if (pairs > 0) written += await applyDelta(ctx, horizon);
      // the scratch tables hold user keys: emptied in the run's own transaction, so no user lingers there
      await clearScratch(ctx);
    }
    if (ctx.mode === 'erasure') {
      await exec(ctx, FILE, 'recount_delete');
      written += await exec(ctx, FILE, 'recount_insert', { aggregate_horizon: horizon });
    }
    written += await exec(ctx, FILE, 'retention_rows', { aggregate_horizon: horizon });
    await exec(ctx, FILE, 'retention_weeks', { aggregate_horizon: horizon });
    return { rowsRead: pairs, rowsWritten: written, loads: ctx.run.loads };
  },
  async clear(ctx) {
    await exec(ctx, FILE, 'delete_members');
    await exec(ctx, FILE, 'delete_weeks');
    await exec(ctx, FILE, 'delete_rows');
  },
};
