-- The warehouse side of an erasure, run by the model runner in one transaction (lambdas/core/erasure/
-- warehouse-step.ts): the subject's aggregate keys go to work.fct_delta first, then its rows are deleted, then
-- the aggregate models recompute exactly those keys from what is left. JSON parameters are arrays of objects.

-- @statement delta_from_fact
-- Every (day, week, workspace, user, feature, platform) key of the subject's facts on the days
-- days_from .. days_to (a stretch of the subject's history, from curated.user_index; run once per stretch).
INSERT INTO work.fct_delta (change, event_date, week_start, workspace_key, user_key, feature_id, platform_key)
SELECT DISTINCT 'forced', f.event_date, f.week_start, f.workspace_key, f.user_key, f.feature_id, f.platform_key
FROM curated.fct_feature_events f
WHERE f.event_date >= CAST(? AS DATE)
  AND f.event_date <= CAST(? AS DATE)
  AND f.user_key IN (SELECT k.value:id::VARCHAR FROM TABLE(FLATTEN(INPUT => PARSE_JSON(?))) AS k)
  AND (CAST(? AS VARCHAR) IS NULL OR f.workspace_key = ?);

-- @statement delta_from_mentions
-- The keys of events that only mention the user (dedup_keys, found in the raw objects): other users'
-- events, on any day, so the fact is searched whole; only when there are such events.
INSERT INTO work.fct_delta (change, event_date, week_start, workspace_key, user_key, feature_id, platform_key)
SELECT DISTINCT 'forced', f.event_date, f.week_start, f.workspace_key, f.user_key, f.feature_id, f.platform_key
FROM curated.fct_feature_events f
WHERE f.dedup_key IN (SELECT d.value:id::VARCHAR FROM TABLE(FLATTEN(INPUT => PARSE_JSON(?))) AS d);

-- @statement delta_from_last_seen
-- The subject's workspaces from the last-seen tables, which outlive the fact (3 years against 180 days): a key
-- on the as-of day makes the last-seen models drop the subject's rows there and adoption recompute the
-- workspace. Recomputing the as-of day itself changes nothing (aggregates already equal the fact there).
INSERT INTO work.fct_delta (change, event_date, week_start, workspace_key, user_key, feature_id, platform_key)
SELECT DISTINCT 'forced', CAST(? AS DATE), CAST(? AS DATE),
  s.workspace_id, s.user_key, CAST(NULL AS VARCHAR), '(none)'
FROM (
  SELECT w.workspace_id, w.user_key FROM curated.workspace_user_last_seen w
  UNION ALL
  SELECT u.workspace_id, u.user_key FROM curated.user_feature_last_seen u
) s
WHERE s.user_key IN (SELECT k.value:id::VARCHAR FROM TABLE(FLATTEN(INPUT => PARSE_JSON(?))) AS k)
  AND (CAST(? AS VARCHAR) IS NULL OR s.workspace_id = ?);

-- @statement delta_rows
SELECT COUNT(*) AS n FROM work.fct_delta;

-- @statement clear_delta
DELETE FROM work.fct_delta;

-- @statement delete_rejected_rows
-- Rejected rows by (file_name, file_row): the ones the exact matching rule chose.
DELETE FROM raw.rejected_events
USING (
  SELECT r.value:file_name::VARCHAR AS file_name, CAST(r.value:file_row::VARCHAR AS INTEGER) AS file_row
  FROM TABLE(FLATTEN(INPUT => PARSE_JSON(?))) AS r
) AS k
WHERE rejected_events.file_name = k.file_name
  AND rejected_events.file_row = k.file_row;

-- @statement delete_events_by_dedup_key
DELETE FROM raw.events
WHERE dedup_key IN (SELECT d.value:id::VARCHAR FROM TABLE(FLATTEN(INPUT => PARSE_JSON(?))) AS d);

-- @statement delete_facts_by_dedup_key
DELETE FROM curated.fct_feature_events
WHERE dedup_key IN (SELECT d.value:id::VARCHAR FROM TABLE(FLATTEN(INPUT => PARSE_JSON(?))) AS d);

-- @statement count_by_dedup_key
SELECT
  (SELECT COUNT(*) FROM raw.events r
    WHERE r.dedup_key IN (SELECT d.value:id::VARCHAR FROM TABLE(FLATTEN(INPUT => PARSE_JSON(?))) AS d)) AS raw_events,
  (SELECT COUNT(*) FROM curated.fct_feature_events f
    WHERE f.dedup_key IN (SELECT d.value:id::VARCHAR FROM TABLE(FLATTEN(INPUT => PARSE_JSON(?))) AS d)) AS facts;
