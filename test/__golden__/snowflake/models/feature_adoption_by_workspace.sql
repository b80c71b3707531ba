-- curated.feature_adoption_by_workspace, from the last-seen tables. as_of_date is the workspace's
-- latest active day, so the windows are deterministic: a user used a feature in the 28 days ending at
-- as_of_date exactly when their last_seen for it falls in that window (nothing of the workspace is
-- later). A workspace whose window end or active users changed (or whose keys are forced) gets every
-- feature recomputed; otherwise only the features (every hierarchy level) its changed events used. A
-- workspace left with no user (an erasure removed its last) loses its rows, as a rebuild has none.

-- @statement clear_workspaces
DELETE FROM work.adoption_workspaces;

-- @statement stage_workspaces
-- n: the changed workspaces that have users, with their new window end and active users; p: the same
-- workspaces as their adoption rows stand. A workspace only in p has no user left: staged with its old
-- window end and no active user, everything recomputed (to nothing).
INSERT INTO work.adoption_workspaces (workspace_id, as_of_date, active_users_28d, recompute_all)
SELECT
  COALESCE(n.workspace_id, p.workspace_id),
  COALESCE(n.as_of_date, p.as_of_date),
  COALESCE(n.active_users_28d, 0),
  n.workspace_id IS NULL
    OR p.workspace_id IS NULL
    OR p.as_of_date <> n.as_of_date
    OR p.active_users_28d <> n.active_users_28d
    OR EXISTS (SELECT 1 FROM work.fct_delta x WHERE x.change = 'forced' AND x.workspace_key = n.workspace_id)
FROM (
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
) n
FULL OUTER JOIN (
  SELECT t.workspace_id, MAX(t.as_of_date) AS as_of_date, MAX(t.workspace_active_users_28d) AS active_users_28d
  FROM curated.feature_adoption_by_workspace t
  JOIN (SELECT DISTINCT d.workspace_key FROM work.fct_delta d) AS k ON t.workspace_id = k.workspace_key
  GROUP BY t.workspace_id
) p ON p.workspace_id = n.workspace_id;

-- @statement delete_workspaces
DELETE FROM curated.feature_adoption_by_workspace
USING work.adoption_workspaces AS w
WHERE feature_adoption_by_workspace.workspace_id = w.workspace_id
  AND w.recompute_all;

-- @statement clear_keys
DELETE FROM work.adoption_keys;

-- @statement stage_keys
INSERT INTO work.adoption_keys (workspace_id, feature_id)
SELECT DISTINCT d.workspace_key, COALESCE(c.ancestor_id, d.feature_id)
FROM work.fct_delta d
JOIN work.adoption_workspaces w ON w.workspace_id = d.workspace_key AND NOT w.recompute_all
LEFT JOIN curated.feature_closure c ON c.feature_id = d.feature_id
WHERE d.feature_id IS NOT NULL AND d.user_key IS NOT NULL;

-- @statement delete_features
DELETE FROM curated.feature_adoption_by_workspace
USING work.adoption_keys AS k
WHERE feature_adoption_by_workspace.workspace_id = k.workspace_id
  AND feature_adoption_by_workspace.feature_id = k.feature_id;

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
FROM (
  SELECT l.*
  FROM curated.user_feature_last_seen l
  JOIN work.adoption_workspaces a ON l.workspace_id = a.workspace_id AND a.recompute_all
  UNION ALL
  SELECT l.*
  FROM curated.user_feature_last_seen l
  JOIN work.adoption_keys k ON l.workspace_id = k.workspace_id AND l.feature_id = k.feature_id
) u
JOIN work.adoption_workspaces w ON u.workspace_id = w.workspace_id
GROUP BY u.workspace_id, u.feature_id, u.feature_known, w.active_users_28d, w.as_of_date;

-- @statement delete_all
DELETE FROM curated.feature_adoption_by_workspace;
