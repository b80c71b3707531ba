-- The console's Adoption page, over curated.feature_adoption_by_workspace (windows end at each
-- workspace's latest active day).

-- @statement features
-- Every feature (every hierarchy level) with the workspaces that used it in their 28-day window.
SELECT
  a.feature_id,
  d.feature_name,
  d.level,
  COUNT(CASE WHEN a.users_28d > 0 THEN 1 END) AS workspaces,
  SUM(a.users_28d) AS users_28d,
  AVG(a.adoption_rate) AS mean_adoption_rate
FROM curated.feature_adoption_by_workspace a
LEFT JOIN curated.dim_feature d ON d.feature_id = a.feature_id
GROUP BY a.feature_id, d.feature_name, d.level
ORDER BY workspaces DESC, users_28d DESC, a.feature_id;

-- @statement workspaces
-- One page of the workspaces that used the feature, sorted by sort_key (a column name the report checked
-- against a fixed list) in sort_direction, ties by workspace id; total_workspaces counts them all.
WITH keyed AS (
  SELECT
    a.*,
    CASE CAST(? AS VARCHAR)
      WHEN 'adoption_rate' THEN a.adoption_rate
      WHEN 'users_7d' THEN a.users_7d
      WHEN 'users_28d' THEN a.users_28d
      WHEN 'workspace_active_users_28d' THEN a.workspace_active_users_28d
    END AS number_key,
    CASE CAST(? AS VARCHAR) WHEN 'first_used' THEN a.first_used WHEN 'last_used' THEN a.last_used END
      AS day_key,
    CASE WHEN CAST(? AS VARCHAR) = 'workspace_id' THEN a.workspace_id END AS text_key,
    CAST(? AS VARCHAR) = 'asc' AS ascending
  FROM curated.feature_adoption_by_workspace a
  WHERE a.feature_id = CAST(? AS VARCHAR)
),
ordered AS (
  SELECT
    k.*,
    ROW_NUMBER() OVER (
      ORDER BY
        CASE WHEN k.ascending THEN k.number_key END ASC NULLS LAST,
        CASE WHEN NOT k.ascending THEN k.number_key END DESC NULLS LAST,
        CASE WHEN k.ascending THEN k.day_key END ASC NULLS LAST,
        CASE WHEN NOT k.ascending THEN k.day_key END DESC NULLS LAST,
        CASE WHEN NOT k.ascending THEN k.text_key END DESC NULLS LAST,
        k.workspace_id
    ) AS row_number,
    COUNT(*) OVER () AS total_workspaces
  FROM keyed k
)
SELECT
  o.workspace_id,
  o.users_7d,
  o.users_28d,
  o.workspace_active_users_28d,
  o.adoption_rate,
  o.first_used,
  o.last_used,
  o.as_of_date,
  o.total_workspaces
FROM ordered o
WHERE o.row_number BETWEEN CAST(? AS INTEGER) AND CAST(? AS INTEGER)
ORDER BY o.row_number;

-- @statement distribution
-- Workspaces using the feature by adoption rate, in tenths (0-10 %, ..., 90-100 %).
SELECT LEAST(CAST(FLOOR(a.adoption_rate * 10) AS INTEGER), 9) AS tenth, COUNT(*) AS workspaces
FROM curated.feature_adoption_by_workspace a
WHERE a.feature_id = CAST(? AS VARCHAR) AND a.adoption_rate IS NOT NULL
GROUP BY LEAST(CAST(FLOOR(a.adoption_rate * 10) AS INTEGER), 9)
ORDER BY tenth;

-- @statement workspace_features
-- One workspace's adoption of the feature and every feature below it, the feature first.
SELECT
  a.feature_id,
  d.feature_name,
  d.level,
  a.users_7d,
  a.users_28d,
  a.workspace_active_users_28d,
  a.adoption_rate,
  a.first_used,
  a.last_used,
  a.as_of_date
FROM curated.feature_adoption_by_workspace a
LEFT JOIN curated.dim_feature d ON d.feature_id = a.feature_id
WHERE a.workspace_id = CAST(? AS VARCHAR)
  AND (
    a.feature_id = CAST(? AS VARCHAR)
    OR a.feature_id IN (
      SELECT c.feature_id FROM curated.feature_closure c
      WHERE c.ancestor_id = CAST(? AS VARCHAR) AND c.distance > 0
    )
  )
ORDER BY CASE WHEN a.feature_id = CAST(? AS VARCHAR) THEN 0 ELSE 1 END, a.adoption_rate DESC NULLS LAST, a.feature_id;
