-- curated.user_feature_last_seen, at every hierarchy level. New events are merged in (first_seen and
-- last_seen widen, lifetime_events adds up). Users touched by a replaced copy or a forced recompute are
-- recomputed from the fact instead, so their rows match a rebuild, reading the fact on their own days only
-- (days_from .. days_to, from curated.user_index).

-- @statement delete_recomputed
DELETE FROM curated.user_feature_last_seen
USING ({{ recomputed_users }}) AS k
WHERE user_feature_last_seen.workspace_id = k.workspace_key
  AND user_feature_last_seen.user_key = k.user_key;

-- @statement insert_recomputed
INSERT INTO curated.user_feature_last_seen (
  workspace_id, user_key, feature_id, feature_known, first_seen, last_seen, lifetime_events
)
SELECT
  f.workspace_key,
  f.user_key,
  COALESCE(c.ancestor_id, f.feature_id),
  c.ancestor_id IS NOT NULL,
  MIN(f.event_date),
  MAX(f.event_date),
  COUNT(*)
FROM curated.fct_feature_events f
-- a join, not EXISTS: the recomputed users' keys then prune the fact's partitions at run time
JOIN ({{ recomputed_users }}) AS k ON f.workspace_key = k.workspace_key AND f.user_key = k.user_key
LEFT JOIN curated.feature_closure c ON c.feature_id = f.feature_id
WHERE f.event_date >= CAST({{ param('days_from') }} AS DATE)
  AND f.event_date <= CAST({{ param('days_to') }} AS DATE)
  AND f.feature_id IS NOT NULL
GROUP BY f.workspace_key, f.user_key, COALESCE(c.ancestor_id, f.feature_id), c.ancestor_id IS NOT NULL;

-- @statement merge_inserted
MERGE INTO curated.user_feature_last_seen AS t
USING (
  SELECT
    d.workspace_key,
    d.user_key,
    COALESCE(c.ancestor_id, d.feature_id) AS feature_id,
    c.ancestor_id IS NOT NULL AS feature_known,
    MIN(d.event_date) AS first_seen,
    MAX(d.event_date) AS last_seen,
    COUNT(*) AS events
  FROM work.fct_delta d
  LEFT JOIN curated.feature_closure c ON c.feature_id = d.feature_id
  WHERE d.change = 'insert'
    AND d.user_key IS NOT NULL
    AND d.feature_id IS NOT NULL
    AND NOT {{ recomputed_user('d.workspace_key', 'd.user_key') }}
  GROUP BY d.workspace_key, d.user_key, COALESCE(c.ancestor_id, d.feature_id), c.ancestor_id IS NOT NULL
) AS s
ON t.workspace_id = s.workspace_key AND t.user_key = s.user_key AND t.feature_id = s.feature_id
WHEN MATCHED THEN UPDATE SET
  first_seen = LEAST(t.first_seen, s.first_seen),
  last_seen = GREATEST(t.last_seen, s.last_seen),
  lifetime_events = t.lifetime_events + s.events
WHEN NOT MATCHED THEN INSERT (workspace_id, user_key, feature_id, feature_known, first_seen, last_seen, lifetime_events)
  VALUES (s.workspace_key, s.user_key, s.feature_id, s.feature_known, s.first_seen, s.last_seen, s.events);

-- @statement delete_all
DELETE FROM curated.user_feature_last_seen;
