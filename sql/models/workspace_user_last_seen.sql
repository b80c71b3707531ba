-- curated.workspace_user_last_seen: any event counts, with or without a feature. Maintained like
-- user_feature_last_seen: merged from new events, recomputed from the fact for users touched by a
-- replaced copy or a forced recompute, on their own days only (days_from .. days_to: curated.user_index).

-- @statement delete_recomputed
DELETE FROM curated.workspace_user_last_seen
USING ({{ recomputed_users }}) AS k
WHERE workspace_user_last_seen.workspace_id = k.workspace_key
  AND workspace_user_last_seen.user_key = k.user_key;

-- @statement insert_recomputed
INSERT INTO curated.workspace_user_last_seen (workspace_id, user_key, first_seen, last_seen, lifetime_events)
SELECT f.workspace_key, f.user_key, MIN(f.event_date), MAX(f.event_date), COUNT(*)
FROM curated.fct_feature_events f
-- a join, not EXISTS: the recomputed users' keys then prune the fact's partitions at run time
JOIN ({{ recomputed_users }}) AS k ON f.workspace_key = k.workspace_key AND f.user_key = k.user_key
WHERE f.event_date >= CAST({{ param('days_from') }} AS DATE)
  AND f.event_date <= CAST({{ param('days_to') }} AS DATE)
GROUP BY f.workspace_key, f.user_key;

-- @statement merge_inserted
MERGE INTO curated.workspace_user_last_seen AS t
USING (
  SELECT
    d.workspace_key,
    d.user_key,
    MIN(d.event_date) AS first_seen,
    MAX(d.event_date) AS last_seen,
    COUNT(*) AS events
  FROM work.fct_delta d
  WHERE d.change = 'insert'
    AND d.user_key IS NOT NULL
    AND NOT {{ recomputed_user('d.workspace_key', 'd.user_key') }}
  GROUP BY d.workspace_key, d.user_key
) AS s
ON t.workspace_id = s.workspace_key AND t.user_key = s.user_key
WHEN MATCHED THEN UPDATE SET
  first_seen = LEAST(t.first_seen, s.first_seen),
  last_seen = GREATEST(t.last_seen, s.last_seen),
  lifetime_events = t.lifetime_events + s.events
WHEN NOT MATCHED THEN INSERT (workspace_id, user_key, first_seen, last_seen, lifetime_events)
  VALUES (s.workspace_key, s.user_key, s.first_seen, s.last_seen, s.events);

-- @statement delete_all
DELETE FROM curated.workspace_user_last_seen;
