-- curated.feature_usage_daily and curated.feature_usage_weekly, from this one source: the period is a
-- slot (period_column: event_date or week_start, a column of the fact, of work.fct_delta and of the
-- usage table usage_table), filled by lambdas/core/warehouse/models/feature-usage.ts. Recomputed from the
-- fact for exactly the (period, workspace, feature) keys the changed events touch, at every level of their
-- features' hierarchy (all features of the (period, workspace) for forced keys). Each event counts once at
-- its feature and once at every ancestor (feature_closure); users are distinct per row, so a parent's users
-- are distinct across its subtree. Events of unknown features (no closure rows) count at their own id
-- only. platform 'all' is the rollup across platforms. Tables are read on the touched periods only
-- (periods_from .. periods_to, and the fact's days periods_from .. facts_to, the last period's last day),
-- so each read is pruned by the clustering key.

-- @template clear_keys
DELETE FROM work.usage_keys;

-- @template stage_keys
INSERT INTO work.usage_keys (period, workspace_key, feature_id)
SELECT DISTINCT d.{{ slot('period_column') }}, d.workspace_key, COALESCE(c.ancestor_id, d.feature_id)
FROM work.fct_delta d
LEFT JOIN curated.feature_closure c ON c.feature_id = d.feature_id
WHERE d.change <> 'forced' AND d.feature_id IS NOT NULL
UNION
SELECT DISTINCT d.{{ slot('period_column') }}, d.workspace_key, CAST(NULL AS VARCHAR)
FROM work.fct_delta d
WHERE d.change = 'forced';

-- @template key_periods
SELECT MIN(k.period) AS periods_from, MAX(k.period) AS periods_to
FROM work.usage_keys k;

-- @template delete_affected
DELETE FROM {{ slot('usage_table') }}
USING work.usage_keys AS k
WHERE {{ slot('usage_table') }}.{{ slot('period_column') }} = k.period
  AND {{ slot('usage_table') }}.{{ slot('period_column') }} >= CAST({{ param('periods_from') }} AS DATE)
  AND {{ slot('usage_table') }}.{{ slot('period_column') }} <= CAST({{ param('periods_to') }} AS DATE)
  AND {{ slot('usage_table') }}.workspace_id = k.workspace_key
  AND (k.feature_id IS NULL OR {{ slot('usage_table') }}.feature_id = k.feature_id);

-- @template insert_affected
INSERT INTO {{ slot('usage_table') }} ({{ slot('period_column') }}, workspace_id, feature_id, platform, feature_known, events, users)
SELECT
  e.period,
  e.workspace_key,
  e.feature_id,
  CASE WHEN GROUPING(e.platform_key) = 1 THEN 'all' ELSE e.platform_key END,
  e.feature_known,
  COUNT(*),
  COUNT(DISTINCT e.user_key)
FROM (
  SELECT
    f.{{ slot('period_column') }} AS period,
    f.workspace_key,
    COALESCE(c.ancestor_id, f.feature_id) AS feature_id,
    c.ancestor_id IS NOT NULL AS feature_known,
    f.platform_key,
    f.user_key
  FROM curated.fct_feature_events f
  JOIN (SELECT DISTINCT k.period, k.workspace_key FROM work.usage_keys k) AS p
    ON f.{{ slot('period_column') }} = p.period AND f.workspace_key = p.workspace_key
  LEFT JOIN curated.feature_closure c ON c.feature_id = f.feature_id
  WHERE f.feature_id IS NOT NULL
    AND f.event_date >= CAST({{ param('periods_from') }} AS DATE)
    AND f.event_date <= CAST({{ param('facts_to') }} AS DATE)
) e
WHERE EXISTS (
  SELECT 1 FROM work.usage_keys k
  WHERE k.period = e.period
    AND k.workspace_key = e.workspace_key
    AND (k.feature_id IS NULL OR k.feature_id = e.feature_id)
)
GROUP BY GROUPING SETS (
  (e.period, e.workspace_key, e.feature_id, e.feature_known, e.platform_key),
  (e.period, e.workspace_key, e.feature_id, e.feature_known)
);

-- @template delete_all
DELETE FROM {{ slot('usage_table') }};
