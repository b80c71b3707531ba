import { exec, type ModelDefinition } from '../model.ts';
import { recomputeRange } from './user-index.ts';

/**
 * A last-seen table: new events merged in; users touched by replaced copies or forced keys recomputed
 * from the fact, on their own days (curated.user_index), only when there are any.
 */
const lastSeenModel = (
  name: 'user_feature_last_seen' | 'workspace_user_last_seen',
  dependsOn: string[],
): ModelDefinition => {
  const file = `models/${name}`;
  return {
    name,
    dependsOn,
    sqlFiles: [file],
    selectable: true,
    async run(ctx) {
      if (ctx.run.deltaRows === 0) return { rowsRead: 0, rowsWritten: 0 };
      let written = 0;
      if (ctx.run.recomputeRows > 0) {
        await exec(ctx, file, 'delete_recomputed');
        const days = await recomputeRange(ctx);
        if (days.days_from !== null) written += await exec(ctx, file, 'insert_recomputed', days);
      }
      if (ctx.run.deltaRows > ctx.run.recomputeRows) written += await exec(ctx, file, 'merge_inserted');
      return { rowsRead: ctx.run.deltaRows, rowsWritten: written, loads: ctx.run.loads };
    },
    clear: async (ctx) => void (await exec(ctx, file, 'delete_all')),
  };
};

/** curated.user_feature_last_seen (every hierarchy level). */
export const userFeatureLastSeen = lastSeenModel('user_feature_last_seen', [
  'fct_feature_events',
  'feature_closure',
  'user_index',
]);

/** curated.workspace_user_last_seen (any event). */
export const workspaceUserLastSeen = lastSeenModel('workspace_user_last_seen', [
  'fct_feature_events',
  'user_index',
]);

const ADOPTION = 'models/feature_adoption_by_workspace';

/**
 * curated.feature_adoption_by_workspace: every feature of a workspace whose window end or active users
 * moved, otherwise only the features the changed events used.
 */
export const featureAdoptionByWorkspace: ModelDefinition = {
  name: 'feature_adoption_by_workspace',
  dependsOn: ['user_feature_last_seen', 'workspace_user_last_seen'],
  sqlFiles: [ADOPTION],
  selectable: true,
  async run(ctx) {
    if (ctx.run.deltaRows === 0) return { rowsRead: 0, rowsWritten: 0 };
    await exec(ctx, ADOPTION, 'clear_workspaces');
    await exec(ctx, ADOPTION, 'stage_workspaces');
    await exec(ctx, ADOPTION, 'delete_workspaces');
    await exec(ctx, ADOPTION, 'clear_keys');
    await exec(ctx, ADOPTION, 'stage_keys');
    await exec(ctx, ADOPTION, 'delete_features');
    const written = await exec(ctx, ADOPTION, 'insert_affected');
    return { rowsRead: ctx.run.deltaRows, rowsWritten: written, loads: ctx.run.loads };
  },
  clear: async (ctx) => void (await exec(ctx, ADOPTION, 'delete_all')),
};
