import { featureClause, type ReportDefinition } from './report.ts';

/**
 * Feature usage over a date range (default: the 7 days ending at the latest day with data),
 * from curated.feature_usage_daily across platforms: events, and daily active users (summed
 * over workspaces; a parent's users are distinct across its subtree, as the table keeps them).
 */
export const usageReport: ReportDefinition = {
  name: 'usage',
  summary: 'events and daily users per feature over a date range (curated.feature_usage_daily)',
  dated: true,
  build: (f) => {
    const feature = featureClause('u.feature_id', f.feature);
    return {
      sql: `WITH bounds AS (
  SELECT COALESCE(CAST(? AS DATE), MAX(event_date)) AS to_date FROM curated.feature_usage_daily
), span AS (
  SELECT COALESCE(CAST(? AS DATE), CAST(to_date - INTERVAL 6 DAY AS DATE)) AS from_date, to_date FROM bounds
), per_day AS (
  SELECT u.event_date, u.feature_id, SUM(u.events) AS events, SUM(u.users) AS users,
    COUNT(DISTINCT u.workspace_id) AS workspaces
  FROM curated.feature_usage_daily u, span s
  WHERE u.platform = 'all' AND u.event_date BETWEEN s.from_date AND s.to_date
    AND (CAST(? AS VARCHAR) IS NULL OR u.workspace_id = ?) AND ${feature.sql}
  GROUP BY u.event_date, u.feature_id
)
SELECT p.feature_id, d.feature_name, d.level, SUM(p.events) AS events,
  MAX(p.users) AS peak_daily_users, ROUND(AVG(p.users), 1) AS avg_daily_users,
  MAX(p.workspaces) AS workspaces, MIN(p.event_date) AS first_day, MAX(p.event_date) AS last_day
FROM per_day p LEFT JOIN curated.dim_feature d ON d.feature_id = p.feature_id
GROUP BY p.feature_id, d.feature_name, d.level
ORDER BY events DESC, p.feature_id
LIMIT ?`,
      params: [f.to, f.from, f.workspace, f.workspace, ...feature.params, f.limit],
    };
  },
};
