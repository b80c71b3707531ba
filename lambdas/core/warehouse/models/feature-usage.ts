import { exec, type ModelDefinition } from '../model.ts';

/** A usage aggregate (daily or weekly) recomputed for the (period, workspace, feature) keys of work.fct_delta. */
const usageModel = (name: 'feature_usage_daily' | 'feature_usage_weekly'): ModelDefinition => {
  const file = `models/${name}`;
  return {
    name,
    dependsOn: ['fct_feature_events', 'feature_closure'],
    sqlFiles: [file],
    selectable: true,
    async run(ctx) {
      if (ctx.run.deltaRows === 0) return { rowsRead: 0, rowsWritten: 0 };
      await exec(ctx, file, 'clear_keys');
      await exec(ctx, file, 'stage_keys');
      await exec(ctx, file, 'delete_affected');
      const written = await exec(ctx, file, 'insert_affected');
      return { rowsRead: ctx.run.deltaRows, rowsWritten: written, loads: ctx.run.loads };
    },
    clear: async (ctx) => void (await exec(ctx, file, 'delete_all')),
  };
};

/** curated.feature_usage_daily. */
export const featureUsageDaily = usageModel('feature_usage_daily');

/** curated.feature_usage_weekly (ISO weeks). */
export const featureUsageWeekly = usageModel('feature_usage_weekly');
