-- The console's Usage page: the feature hierarchy as a drill-down tree over curated.feature_usage_daily
-- (grain day) or curated.feature_usage_weekly (grain week), which the template's slots name.
-- The scope is the children of a node (the product areas, and unknown feature ids, at the root) or the
-- node itself (at the root: every area and unknown id together, as node '(all)'; an unknown id is a
-- node without children). Rows of one platform
-- (or 'all'), optionally one workspace, periods from period_from to period_to.
-- users is summed over workspaces and periods (user_periods): a user counts once per workspace and
-- period, as the tables keep them; at the root it would add up different features' users, and the
-- report does not show it there.

-- @template scoped
WITH nodes AS (
  SELECT
    d.feature_id,
    CASE WHEN CAST({{ param('scope') }} AS VARCHAR) = 'self'
      THEN COALESCE(CAST({{ param('feature') }} AS VARCHAR), '(all)') ELSE d.feature_id END AS node_id
  FROM curated.dim_feature d
  WHERE (CAST({{ param('scope') }} AS VARCHAR) = 'self' AND d.feature_id = CAST({{ param('feature') }} AS VARCHAR))
    OR (CAST({{ param('feature') }} AS VARCHAR) IS NULL AND d.parent_id IS NULL)
    OR (CAST({{ param('scope') }} AS VARCHAR) = 'children' AND d.parent_id = CAST({{ param('feature') }} AS VARCHAR))
  UNION ALL
  SELECT DISTINCT
    x.feature_id,
    CASE WHEN CAST({{ param('scope') }} AS VARCHAR) = 'self'
      THEN COALESCE(CAST({{ param('feature') }} AS VARCHAR), '(all)') ELSE x.feature_id END AS node_id
  FROM {{ slot('usage_table') }} x
  WHERE x.feature_known = FALSE
    AND (CAST({{ param('feature') }} AS VARCHAR) IS NULL
      OR (CAST({{ param('scope') }} AS VARCHAR) = 'self' AND x.feature_id = CAST({{ param('feature') }} AS VARCHAR)))
    AND x.{{ slot('period_column') }} BETWEEN CAST({{ param('period_from') }} AS DATE) AND CAST({{ param('period_to') }} AS DATE)
),
usage_rows AS (
  SELECT n.node_id, u.{{ slot('period_column') }} AS period, u.platform, u.workspace_id, u.events, u.users
  FROM {{ slot('usage_table') }} u
  JOIN nodes n ON n.feature_id = u.feature_id
  WHERE u.{{ slot('period_column') }} BETWEEN CAST({{ param('period_from') }} AS DATE) AND CAST({{ param('period_to') }} AS DATE)
    AND (CAST({{ param('workspace') }} AS VARCHAR) IS NULL OR u.workspace_id = CAST({{ param('workspace') }} AS VARCHAR))
    -- @if by_platform
    AND u.platform <> 'all'
    AND (CAST({{ param('platform') }} AS VARCHAR) = 'all' OR u.platform = CAST({{ param('platform') }} AS VARCHAR))
    -- @end
    -- @if totals
    AND u.platform = CAST({{ param('platform') }} AS VARCHAR)
    -- @end
)
-- @if totals
, per_period AS (
  SELECT r.node_id, r.period, SUM(r.users) AS users
  FROM usage_rows r
  GROUP BY r.node_id, r.period
)
SELECT
  n.node_id AS feature_id,
  d.feature_name,
  d.level,
  d.feature_id IS NOT NULL AS feature_known,
  c.parent_id IS NOT NULL AS has_children,
  COALESCE(t.events, 0) AS events,
  COALESCE(t.workspaces, 0) AS workspaces,
  COALESCE(p.user_periods, 0) AS user_periods,
  COALESCE(p.peak_users, 0) AS peak_users
FROM (SELECT DISTINCT node_id FROM nodes) n
LEFT JOIN curated.dim_feature d ON d.feature_id = n.node_id
LEFT JOIN (SELECT DISTINCT k.parent_id FROM curated.dim_feature k) c ON c.parent_id = n.node_id
LEFT JOIN (
  SELECT r.node_id, SUM(r.events) AS events, COUNT(DISTINCT r.workspace_id) AS workspaces
  FROM usage_rows r
  GROUP BY r.node_id
) t ON t.node_id = n.node_id
LEFT JOIN (
  SELECT pp.node_id, SUM(pp.users) AS user_periods, MAX(pp.users) AS peak_users
  FROM per_period pp
  GROUP BY pp.node_id
) p ON p.node_id = n.node_id
ORDER BY events DESC, feature_id
-- @end
-- @if by_platform
SELECT r.period, r.platform, SUM(r.events) AS events, SUM(r.users) AS users
FROM usage_rows r
GROUP BY r.period, r.platform
ORDER BY r.period, r.platform
-- @end
