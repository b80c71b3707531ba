import { featureClause, type ReportDefinition } from './report.ts';

/** When users last (and first) used features, from curated.user_feature_last_seen; --from/--to bound last_seen. */
export const lastSeenReport: ReportDefinition = {
  name: 'last-seen',
  summary: 'first and last use of each feature per user (curated.user_feature_last_seen)',
  dated: true,
  build: (f) => {
    const feature = featureClause('s.feature_id', f.feature);
    return {
      sql: `SELECT s.workspace_id, s.user_key, s.feature_id, s.first_seen, s.last_seen, s.lifetime_events
FROM curated.user_feature_last_seen s
WHERE (CAST(? AS VARCHAR) IS NULL OR s.workspace_id = ?) AND ${feature.sql}
  AND (CAST(? AS DATE) IS NULL OR s.last_seen >= CAST(? AS DATE))
  AND (CAST(? AS DATE) IS NULL OR s.last_seen <= CAST(? AS DATE))
ORDER BY s.last_seen DESC, s.lifetime_events DESC, s.workspace_id, s.user_key, s.feature_id
LIMIT ?`,
      params: [f.workspace, f.workspace, ...feature.params, f.from, f.from, f.to, f.to, f.limit],
    };
  },
};
