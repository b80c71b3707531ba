import { featureClause, type ReportDefinition } from './report.ts';

/**
 * Feature adoption from curated.feature_adoption_by_workspace: for one workspace, each
 * feature's users over 7 and 28 days against the workspace's active users; across
 * workspaces, how many workspaces use each feature and their mean adoption rate.
 */
export const adoptionReport: ReportDefinition = {
  name: 'adoption',
  summary: 'users 7d/28d and adoption rate per feature (curated.feature_adoption_by_workspace)',
  dated: false,
  build: (f) => {
    const feature = featureClause('a.feature_id', f.feature);
    if (f.workspace !== null) {
      return {
        sql: `SELECT a.feature_id, a.users_7d, a.users_28d, a.workspace_active_users_28d,
  ROUND(a.adoption_rate, 3) AS adoption_rate, a.first_used, a.last_used, a.as_of_date
FROM curated.feature_adoption_by_workspace a
WHERE a.workspace_id = ? AND ${feature.sql}
ORDER BY a.adoption_rate DESC NULLS LAST, a.feature_id
LIMIT ?`,
        params: [f.workspace, ...feature.params, f.limit],
      };
    }
    return {
      sql: `SELECT a.feature_id, d.feature_name, d.level,
  COUNT(*) FILTER (WHERE a.users_28d > 0) AS workspaces_28d,
  SUM(a.users_28d) AS users_28d,
  ROUND(AVG(a.adoption_rate), 3) AS mean_adoption_rate,
  MAX(a.last_used) AS last_used
FROM curated.feature_adoption_by_workspace a LEFT JOIN curated.dim_feature d ON d.feature_id = a.feature_id
WHERE ${feature.sql}
GROUP BY a.feature_id, d.feature_name, d.level
ORDER BY workspaces_28d DESC, users_28d DESC, a.feature_id
LIMIT ?`,
      params: [...feature.params, f.limit],
    };
  },
};
