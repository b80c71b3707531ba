import type { Row } from '#core/warehouse/ports.ts';
import { readNumber, readString } from '#core/warehouse/values.ts';
import type { ConsoleReport } from '../report.ts';

const FILE = 'console/adoption';

/** Columns the workspace table sorts by. */
export const ADOPTION_SORTS = [
  'adoption_rate',
  'users_28d',
  'users_7d',
  'workspace_active_users_28d',
  'last_used',
  'first_used',
  'workspace_id',
] as const;

const adoptionRow = (r: Row) => ({
  users7d: readNumber(r.users_7d) ?? 0,
  users28d: readNumber(r.users_28d) ?? 0,
  activeUsers28d: readNumber(r.workspace_active_users_28d) ?? 0,
  adoptionRate: readNumber(r.adoption_rate),
  firstUsed: String(r.first_used),
  lastUsed: String(r.last_used),
  asOf: String(r.as_of_date),
});

/**
 * `adoption`: without `feature`, every feature with the workspaces that used it; with `feature`, one page
 * of those workspaces (`sort`, `direction`, `offset`, `limit`), the distribution of their adoption rates in
 * tenths, and, with `workspace`, that workspace's adoption of the feature and of every feature below it.
 */
export const adoptionReport: ConsoleReport = {
  name: 'adoption',
  summary: 'workspaces by adoption of a feature (share of their active users), sortable, with a drill-down',
  prepare(params) {
    const feature = params.key('feature');
    const workspace = params.key('workspace');
    const sort = params.oneOf('sort', ADOPTION_SORTS, 'adoption_rate');
    const direction = params.oneOf('direction', ['asc', 'desc'] as const, 'desc');
    const offset = params.integer('offset', 0, 10_000_000, 0);
    const limit = params.integer('limit', 1, 500, 50);
    if (workspace !== null && feature === null) params.problem('workspace', 'needs a feature to drill into');
    return {
      params: { feature, workspace, sort, direction, offset, limit },
      async run(reads) {
        const features = (await reads.statement(FILE, 'features')).map((r) => ({
          featureId: String(r.feature_id),
          name: readString(r.feature_name),
          level: readNumber(r.level),
          workspaces: readNumber(r.workspaces) ?? 0,
          users28d: readNumber(r.users_28d) ?? 0,
          meanAdoptionRate: readNumber(r.mean_adoption_rate),
        }));
        if (feature === null) return { features, feature: null };
        const page = await reads.statement(FILE, 'workspaces', {
          feature,
          sort_key: sort,
          sort_direction: direction,
          first_row: offset + 1,
          last_row: offset + limit,
        });
        const distribution = await reads.statement(FILE, 'distribution', { feature });
        const drill =
          workspace === null
            ? null
            : await reads.statement(FILE, 'workspace_features', { feature, workspace });
        const byTenth = new Map(
          distribution.map((d) => [readNumber(d.tenth), readNumber(d.workspaces) ?? 0]),
        );
        return {
          features,
          feature,
          totalWorkspaces: readNumber(page[0]?.total_workspaces) ?? 0,
          workspaces: page.map((r) => ({ workspaceId: String(r.workspace_id), ...adoptionRow(r) })),
          distribution: Array.from({ length: 10 }, (_, tenth) => ({
            tenth,
            workspaces: byTenth.get(tenth) ?? 0,
          })),
          workspace:
            drill === null
              ? null
              : {
                  workspaceId: workspace,
                  features: drill.map((r) => ({
                    featureId: String(r.feature_id),
                    name: readString(r.feature_name),
                    level: readNumber(r.level),
                    ...adoptionRow(r),
                  })),
                },
        };
      },
    };
  },
};
