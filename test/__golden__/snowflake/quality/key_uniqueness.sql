-- key-uniqueness: every table's key (DESIGN section 5) holds at most one row. Each statement returns up
-- to 20 duplicated keys (most copies first), each row carrying the number of duplicated keys. Large
-- tables are checked on the rows a run can have touched: keys of rows loaded since loaded_after, or dates
-- since date_from.

-- @statement raw_events
SELECT d.offending_key, d.copies, COUNT(*) OVER () AS offending
FROM (
  SELECT r.file_name || '#' || CAST(r.file_row AS VARCHAR) AS offending_key, COUNT(*) AS copies
  FROM raw.events r
  WHERE r.loaded_at > CAST(? AS TIMESTAMP_NTZ)
  GROUP BY r.file_name, r.file_row
  HAVING COUNT(*) > 1
) d
ORDER BY d.copies DESC, d.offending_key
LIMIT 20;

-- @statement raw_rejected_events
SELECT d.offending_key, d.copies, COUNT(*) OVER () AS offending
FROM (
  SELECT j.file_name || '#' || CAST(j.file_row AS VARCHAR) AS offending_key, COUNT(*) AS copies
  FROM raw.rejected_events j
  WHERE j.loaded_at > CAST(? AS TIMESTAMP_NTZ)
  GROUP BY j.file_name, j.file_row
  HAVING COUNT(*) > 1
) d
ORDER BY d.copies DESC, d.offending_key
LIMIT 20;

-- @statement fct_feature_events
SELECT d.offending_key, d.copies, COUNT(*) OVER () AS offending
FROM (
  SELECT f.dedup_key AS offending_key, COUNT(*) AS copies
  FROM curated.fct_feature_events f
  WHERE f.dedup_key IN (
    SELECT n.dedup_key FROM curated.fct_feature_events n
    WHERE n.loaded_at > CAST(? AS TIMESTAMP_NTZ)
  )
  GROUP BY f.dedup_key
  HAVING COUNT(*) > 1
) d
ORDER BY d.copies DESC, d.offending_key
LIMIT 20;

-- @statement dim_feature
SELECT d.offending_key, d.copies, COUNT(*) OVER () AS offending
FROM (
  SELECT f.feature_id AS offending_key, COUNT(*) AS copies
  FROM curated.dim_feature f
  GROUP BY f.feature_id
  HAVING COUNT(*) > 1
) d
ORDER BY d.copies DESC, d.offending_key
LIMIT 20;

-- @statement feature_closure
SELECT d.offending_key, d.copies, COUNT(*) OVER () AS offending
FROM (
  SELECT c.feature_id || '|' || c.ancestor_id AS offending_key, COUNT(*) AS copies
  FROM curated.feature_closure c
  GROUP BY c.feature_id, c.ancestor_id
  HAVING COUNT(*) > 1
) d
ORDER BY d.copies DESC, d.offending_key
LIMIT 20;

-- @statement feature_usage_daily
SELECT d.offending_key, d.copies, COUNT(*) OVER () AS offending
FROM (
  SELECT
    CAST(u.event_date AS VARCHAR) || '|' || u.workspace_id || '|' || u.feature_id || '|' || u.platform AS offending_key,
    COUNT(*) AS copies
  FROM curated.feature_usage_daily u
  WHERE u.event_date >= CAST(? AS DATE)
  GROUP BY u.event_date, u.workspace_id, u.feature_id, u.platform
  HAVING COUNT(*) > 1
) d
ORDER BY d.copies DESC, d.offending_key
LIMIT 20;

-- @statement feature_usage_weekly
SELECT d.offending_key, d.copies, COUNT(*) OVER () AS offending
FROM (
  SELECT
    CAST(u.week_start AS VARCHAR) || '|' || u.workspace_id || '|' || u.feature_id || '|' || u.platform AS offending_key,
    COUNT(*) AS copies
  FROM curated.feature_usage_weekly u
  WHERE u.week_start >= CAST(? AS DATE)
  GROUP BY u.week_start, u.workspace_id, u.feature_id, u.platform
  HAVING COUNT(*) > 1
) d
ORDER BY d.copies DESC, d.offending_key
LIMIT 20;

-- @statement feature_adoption_by_workspace
SELECT d.offending_key, d.copies, COUNT(*) OVER () AS offending
FROM (
  SELECT a.workspace_id || '|' || a.feature_id AS offending_key, COUNT(*) AS copies
  FROM curated.feature_adoption_by_workspace a
  GROUP BY a.workspace_id, a.feature_id
  HAVING COUNT(*) > 1
) d
ORDER BY d.copies DESC, d.offending_key
LIMIT 20;

-- @statement user_feature_last_seen
SELECT d.offending_key, d.copies, COUNT(*) OVER () AS offending
FROM (
  SELECT s.workspace_id || '|' || s.user_key || '|' || s.feature_id AS offending_key, COUNT(*) AS copies
  FROM curated.user_feature_last_seen s
  WHERE s.last_seen >= CAST(? AS DATE)
  GROUP BY s.workspace_id, s.user_key, s.feature_id
  HAVING COUNT(*) > 1
) d
ORDER BY d.copies DESC, d.offending_key
LIMIT 20;

-- @statement workspace_user_last_seen
SELECT d.offending_key, d.copies, COUNT(*) OVER () AS offending
FROM (
  SELECT s.workspace_id || '|' || s.user_key AS offending_key, COUNT(*) AS copies
  FROM curated.workspace_user_last_seen s
  WHERE s.last_seen >= CAST(? AS DATE)
  GROUP BY s.workspace_id, s.user_key
  HAVING COUNT(*) > 1
) d
ORDER BY d.copies DESC, d.offending_key
LIMIT 20;

-- @statement user_first_last
SELECT d.offending_key, d.copies, COUNT(*) OVER () AS offending
FROM (
  SELECT s.fact || '|' || s.user_key || '|' || CAST(s.snapshot_date AS VARCHAR) AS offending_key, COUNT(*) AS copies
  FROM curated.user_first_last s
  WHERE s.snapshot_date >= CAST(? AS DATE)
  GROUP BY s.fact, s.user_key, s.snapshot_date
  HAVING COUNT(*) > 1
) d
ORDER BY d.copies DESC, d.offending_key
LIMIT 20;

-- @statement activation_states
-- Periods from the month holding date_from: a month period starting before date_from is still recent.
SELECT d.offending_key, d.copies, COUNT(*) OVER () AS offending
FROM (
  SELECT
    a.fact || '|' || a.grain || '|' || CAST(a.period_start AS VARCHAR) || '|' || a.user_key AS offending_key,
    COUNT(*) AS copies
  FROM curated.activation_states a
  WHERE a.period_start >= CAST(? AS DATE)
  GROUP BY a.fact, a.grain, a.period_start, a.user_key
  HAVING COUNT(*) > 1
) d
ORDER BY d.copies DESC, d.offending_key
LIMIT 20;

-- @statement activation_summary
SELECT d.offending_key, d.copies, COUNT(*) OVER () AS offending
FROM (
  SELECT a.fact || '|' || a.grain || '|' || CAST(a.period_start AS VARCHAR) AS offending_key, COUNT(*) AS copies
  FROM curated.activation_summary a
  GROUP BY a.fact, a.grain, a.period_start
  HAVING COUNT(*) > 1
) d
ORDER BY d.copies DESC, d.offending_key
LIMIT 20;

-- @statement watermarks
SELECT d.offending_key, d.copies, COUNT(*) OVER () AS offending
FROM (
  SELECT w.model_name AS offending_key, COUNT(*) AS copies
  FROM ops.watermarks w
  GROUP BY w.model_name
  HAVING COUNT(*) > 1
) d
ORDER BY d.copies DESC, d.offending_key
LIMIT 20;
