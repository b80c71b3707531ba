import { exec, type ModelContext, type ModelDefinition } from '#core/warehouse/model.ts';
import { toSqlDate } from '#core/warehouse/time.ts';
import { type FactDeclaration, factFingerprint, factValues } from './fact.ts';
import { firstLastDailyFrom, firstLastKeepFrom } from './horizons.ts';
import type { ActivationSettings } from './settings.ts';

const FILE = 'activation/user_first_last';

/** Model name of a fact's FirstLast model. */
export const firstLastModelName = (fact: FactDeclaration): string => `${fact.name}_first_last`;

/**
 * curated.user_first_last for one fact. Each run compacts day rows that fell out of the daily window into
 * month rows, then recomputes from the fact table the snapshot rows its changes touch: days with newly
 * inserted fact events, and every day of replaced or forced events (unfiltered: the fact table decides).
 * The model's state is the fingerprint of the fact's filter; on the first run, after a rebuild, or when
 * the filter changed, every row the fact table can derive is rebuilt (a changed filter drops history too).
 */
export const firstLastModel = (fact: FactDeclaration, settings: ActivationSettings): ModelDefinition => {
  const fingerprint = factFingerprint(fact);
  const bounds = (ctx: ModelContext) => ({
    ...factValues(fact),
    keep_from: toSqlDate(firstLastKeepFrom(ctx.asOf, ctx.settings)),
    daily_from: toSqlDate(firstLastDailyFrom(ctx.asOf, settings)),
  });
  return {
    name: firstLastModelName(fact),
    dependsOn: ['fct_feature_events', 'feature_closure'],
    sqlFiles: [FILE],
    selectable: true,
    async run(ctx) {
      const values = bounds(ctx);
      let written = await exec(ctx, FILE, 'compact_month_rows', values);
      await exec(ctx, FILE, 'compact_day_rows', values);
      const full = ctx.previousState !== fingerprint;
      if (!full && ctx.run.deltaRows === 0) return { rowsRead: 0, rowsWritten: written, state: fingerprint };
      await exec(ctx, FILE, 'clear_buckets');
      if (full) {
        await exec(ctx, FILE, ctx.previousState === null ? 'delete_kept_range' : 'delete_fact', values);
        await exec(ctx, FILE, 'buckets_all', values);
      } else {
        if (ctx.run.deltaRows > ctx.run.recomputeRows) await exec(ctx, FILE, 'buckets_inserted', values);
        if (ctx.run.recomputeRows > 0) await exec(ctx, FILE, 'buckets_recomputed', values);
      }
      await exec(ctx, FILE, 'delete_buckets', values);
      written += await exec(ctx, FILE, 'insert_buckets', values);
      await exec(ctx, FILE, 'align_first', values);
      // scratch rows name users: none outlives the run (an erasure's recompute must leave no trace of its subject)
      await exec(ctx, FILE, 'clear_buckets');
      return { rowsRead: ctx.run.deltaRows, rowsWritten: written, state: fingerprint };
    },
    clear: async (ctx) => void (await exec(ctx, FILE, 'delete_kept_range', bounds(ctx))),
  };
};
