-- curated.feature_usage_daily: recomputed from the fact for exactly the (event_date, workspace) pairs in
-- work.fct_delta. Each event counts once at its feature and once at every ancestor (feature_closure);
-- users are distinct per row, so a parent's users are distinct across its subtree. Events of unknown
-- features (no closure rows) count at their own id only. platform 'all' is the rollup across platforms.

-- @statement delete_affected
DELETE FROM curated.feature_usage_daily
USING (SELECT DISTINCT d.event_date, d.workspace_key FROM work.fct_delta d) AS k
WHERE feature_usage_daily.event_date = k.event_date
  AND feature_usage_daily.workspace_id = k.workspace_key;

-- @statement insert_affected
INSERT INTO curated.feature_usage_daily (event_date, workspace_id, feature_id, platform, feature_known, events, users)
SELECT
  e.event_date,
  e.workspace_key,
  e.feature_id,
  CASE WHEN GROUPING(e.platform_key) = 1 THEN 'all' ELSE e.platform_key END,
  e.feature_known,
  COUNT(*),
  COUNT(DISTINCT e.user_key)
FROM (
  SELECT
    f.event_date,
    f.workspace_key,
    COALESCE(c.ancestor_id, f.feature_id) AS feature_id,
    c.ancestor_id IS NOT NULL AS feature_known,
    f.platform_key,
    f.user_key
  FROM curated.fct_feature_events f
  JOIN (SELECT DISTINCT d.event_date, d.workspace_key FROM work.fct_delta d) AS k
    ON f.event_date = k.event_date AND f.workspace_key = k.workspace_key
  LEFT JOIN curated.feature_closure c ON c.feature_id = f.feature_id
  WHERE f.feature_id IS NOT NULL
) e
GROUP BY GROUPING SETS (
  (e.event_date, e.workspace_key, e.feature_id, e.feature_known, e.platform_key),
  (e.event_date, e.workspace_key, e.feature_id, e.feature_known)
);

-- @statement delete_all
DELETE FROM curated.feature_usage_daily;
