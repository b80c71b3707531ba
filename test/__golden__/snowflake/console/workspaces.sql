-- Workspaces for the console's workspace filter: those whose id contains the search text (any case), the
-- most active users first, at most max_rows of them.
SELECT w.workspace_id, COUNT(*) AS users, MAX(w.last_seen) AS last_seen
FROM curated.workspace_user_last_seen w
WHERE CAST(? AS VARCHAR) IS NULL
  OR POSITION(LOWER(CAST(? AS VARCHAR)) IN LOWER(w.workspace_id)) > 0
GROUP BY w.workspace_id
QUALIFY ROW_NUMBER() OVER (ORDER BY COUNT(*) DESC, w.workspace_id) <= CAST(? AS INTEGER)
ORDER BY users DESC, w.workspace_id;
