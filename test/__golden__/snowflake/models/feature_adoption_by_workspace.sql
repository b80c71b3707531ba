-- curated.feature_adoption_by_workspace: recomputed for the workspaces in work.fct_delta from the
-- last-seen tables. as_of_date is the workspace's latest active day, so the windows are deterministic:
-- a user used a feature in the 28 days ending at as_of_date exactly when their last_seen for it falls in
-- that window (nothing of the workspace is later than as_of_date).

-- @statement delete_affected
DELETE FROM curated.feature_adoption_by_workspace
USING (SELECT DISTINCT d.workspace_key FROM work.fct_delta d) AS k
WHERE feature_adoption_by_workspace.workspace_id = k.workspace_key;

-- @statement insert_affected
INSERT INTO curated.feature_adoption_by_workspace (
  workspace_id, feature_id, feature_known, first_used, last_used, users_7d, users_28d,
  workspace_active_users_28d, adoption_rate, as_of_date
)
SELECT
  u.workspace_id,
  u.feature_id,
  u.feature_known,
  MIN(u.first_seen),
  MAX(u.last_seen),
  COUNT(CASE WHEN u.last_seen >= DATEADD(DAY, -6, w.as_of_date) THEN 1 END),
  COUNT(CASE WHEN u.last_seen >= DATEADD(DAY, -27, w.as_of_date) THEN 1 END),
  w.active_users_28d,
  CAST(COUNT(CASE WHEN u.last_seen >= DATEADD(DAY, -27, w.as_of_date) THEN 1 END) AS DOUBLE)
    / NULLIF(w.active_users_28d, 0),
  w.as_of_date
FROM curated.user_feature_last_seen u
JOIN (
  SELECT
    a.workspace_id,
    a.as_of_date,
    COUNT(CASE WHEN l.last_seen >= DATEADD(DAY, -27, a.as_of_date) THEN 1 END) AS active_users_28d
  FROM (
    SELECT l.workspace_id, MAX(l.last_seen) AS as_of_date
    FROM curated.workspace_user_last_seen l
    JOIN (SELECT DISTINCT d.workspace_key FROM work.fct_delta d) AS k ON l.workspace_id = k.workspace_key
    GROUP BY l.workspace_id
  ) a
  JOIN curated.workspace_user_last_seen l ON l.workspace_id = a.workspace_id
  GROUP BY a.workspace_id, a.as_of_date
) w ON u.workspace_id = w.workspace_id
GROUP BY u.workspace_id, u.feature_id, u.feature_known, w.active_users_28d, w.as_of_date;

-- @statement delete_all
DELETE FROM curated.feature_adoption_by_workspace;
