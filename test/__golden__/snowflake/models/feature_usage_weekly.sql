-- curated.feature_usage_weekly: recomputed from the fact for exactly the (week_start, workspace, feature)
-- keys the changed events touch, at every level of their features' hierarchy (all features of the
-- (week_start, workspace) for forced keys). Each event counts once at its feature and once at every ancestor
-- (feature_closure); users are distinct per row, so a parent's users are distinct across its subtree.
-- Events of unknown features (no closure rows) count at their own id only. platform 'all' is the
-- rollup across platforms.

-- @statement clear_keys
DELETE FROM work.usage_keys;

-- @statement stage_keys
INSERT INTO work.usage_keys (period, workspace_key, feature_id)
SELECT DISTINCT d.week_start, d.workspace_key, COALESCE(c.ancestor_id, d.feature_id)
FROM work.fct_delta d
LEFT JOIN curated.feature_closure c ON c.feature_id = d.feature_id
WHERE d.change <> 'forced' AND d.feature_id IS NOT NULL
UNION
SELECT DISTINCT d.week_start, d.workspace_key, CAST(NULL AS VARCHAR)
FROM work.fct_delta d
WHERE d.change = 'forced';

-- @statement delete_affected
DELETE FROM curated.feature_usage_weekly
USING work.usage_keys AS k
WHERE feature_usage_weekly.week_start = k.period
  AND feature_usage_weekly.workspace_id = k.workspace_key
  AND (k.feature_id IS NULL OR feature_usage_weekly.feature_id = k.feature_id);

-- @statement insert_affected
INSERT INTO curated.feature_usage_weekly (week_start, workspace_id, feature_id, platform, feature_known, events, users)
SELECT
  e.week_start,
  e.workspace_key,
  e.feature_id,
  CASE WHEN GROUPING(e.platform_key) = 1 THEN 'all' ELSE e.platform_key END,
  e.feature_known,
  COUNT(*),
  COUNT(DISTINCT e.user_key)
FROM (
  SELECT
    f.week_start,
    f.workspace_key,
    COALESCE(c.ancestor_id, f.feature_id) AS feature_id,
    c.ancestor_id IS NOT NULL AS feature_known,
    f.platform_key,
    f.user_key
  FROM curated.fct_feature_events f
  JOIN (SELECT DISTINCT k.period, k.workspace_key FROM work.usage_keys k) AS p
    ON f.week_start = p.period AND f.workspace_key = p.workspace_key
  LEFT JOIN curated.feature_closure c ON c.feature_id = f.feature_id
  WHERE f.feature_id IS NOT NULL
) e
WHERE EXISTS (
  SELECT 1 FROM work.usage_keys k
  WHERE k.period = e.week_start
    AND k.workspace_key = e.workspace_key
    AND (k.feature_id IS NULL OR k.feature_id = e.feature_id)
)
GROUP BY GROUPING SETS (
  (e.week_start, e.workspace_key, e.feature_id, e.feature_known, e.platform_key),
  (e.week_start, e.workspace_key, e.feature_id, e.feature_known)
);

-- @statement delete_all
DELETE FROM curated.feature_usage_weekly;
