-- curated.fct_feature_events: one row per dedup_key, the earliest received copy (ties: earliest load,
-- then file name and row), whatever order the copies were loaded in. A run stages the raw rows of its
-- window (loaded_at in (loaded_after, loaded_until], event_ts in [event_from, event_before)), keeps one
-- copy per key, and writes only keys the fact does not have or copies that sort before the stored one.
-- Rows of erased users (ops.erased_users) never reach the fact: sql/erasure/suppression.sql records them
-- in ops.erasure_staged_rows (and counts them) first, in the same transaction, and stage drops every row
-- recorded there.
-- What changed is written to work.fct_delta for the aggregates.

-- @statement clear_batch
DELETE FROM work.fct_batch;

-- @statement clear_delta
DELETE FROM work.fct_delta;

-- @statement window_end
SELECT MAX(r.loaded_at) AS loaded_until
FROM raw.events r
WHERE r.loaded_at > CAST(? AS TIMESTAMP_NTZ);

-- @statement window_loads
SELECT r.file_name, COUNT(*) AS rows_read
FROM raw.events r
WHERE r.loaded_at > CAST(? AS TIMESTAMP_NTZ)
  AND r.loaded_at <= CAST(? AS TIMESTAMP_NTZ)
  AND r.event_ts >= CAST(? AS TIMESTAMP_NTZ)
  AND r.event_ts < CAST(? AS TIMESTAMP_NTZ)
GROUP BY r.file_name
ORDER BY r.file_name;

-- @statement stage
INSERT INTO work.fct_batch (
  dedup_key, event_id, event_name, schema_version, event_ts, event_date, week_start, occurred_at, sent_at,
  received_at, is_late_beyond_window, source_id, workspace_id, workspace_key, user_id, anonymous_id, user_key,
  feature_id, feature_known, platform, platform_key, app_version, locale, intake, call_type, properties,
  file_name, file_row, loaded_at, action
)
SELECT
  c.dedup_key, c.event_id, c.event_name, c.schema_version, c.event_ts, c.event_date, c.week_start, c.occurred_at,
  c.sent_at, c.received_at, c.is_late_beyond_window, c.source_id, c.workspace_id, c.workspace_key, c.user_id,
  c.anonymous_id, c.user_key, c.feature_id, c.feature_known, c.platform, c.platform_key, c.app_version, c.locale,
  c.intake, c.call_type, c.properties, c.file_name, c.file_row, c.loaded_at,
  CASE WHEN f.dedup_key IS NULL THEN 'insert' ELSE 'replace' END
FROM (
  SELECT
    r.dedup_key,
    r.event_id,
    r.event_name,
    r.schema_version,
    r.event_ts,
    CAST(r.event_ts AS DATE) AS event_date,
    DATEADD(DAY, 1 - DAYOFWEEKISO(CAST(r.event_ts AS DATE)), CAST(r.event_ts AS DATE)) AS week_start,
    r.occurred_at,
    r.sent_at,
    r.received_at,
    DATEADD(HOUR, ?, r.event_ts) < r.received_at AS is_late_beyond_window,
    r.source_id,
    r.workspace_id,
    COALESCE(r.workspace_id, '(none)') AS workspace_key,
    r.user_id,
    r.anonymous_id,
    COALESCE(r.user_id, 'anon:' || r.anonymous_id) AS user_key,
    r.feature_id,
    r.feature_known,
    r.platform,
    COALESCE(r.platform, '(none)') AS platform_key,
    r.app_version,
    r.locale,
    r.intake,
    r.call_type,
    r.payload:properties AS properties,
    r.file_name,
    r.file_row,
    r.loaded_at
  FROM raw.events r
  WHERE r.loaded_at > CAST(? AS TIMESTAMP_NTZ)
    AND r.loaded_at <= CAST(? AS TIMESTAMP_NTZ)
    AND r.event_ts >= CAST(? AS TIMESTAMP_NTZ)
    AND r.event_ts < CAST(? AS TIMESTAMP_NTZ)
    -- suppression: erasure/suppression#mark_staged has just recorded the window's rows of erased users
    AND NOT EXISTS (
      SELECT 1 FROM ops.erasure_staged_rows s
      WHERE s.file_name = r.file_name
        AND s.file_row = r.file_row
    )
  QUALIFY ROW_NUMBER() OVER (
    PARTITION BY r.dedup_key ORDER BY r.received_at, r.loaded_at, r.file_name, r.file_row
  ) = 1
) c
LEFT JOIN curated.fct_feature_events f ON f.dedup_key = c.dedup_key
WHERE f.dedup_key IS NULL
  OR c.received_at < f.received_at
  OR (c.received_at = f.received_at AND c.loaded_at < f.loaded_at)
  OR (c.received_at = f.received_at AND c.loaded_at = f.loaded_at AND c.file_name < f.file_name)
  OR (c.received_at = f.received_at AND c.loaded_at = f.loaded_at AND c.file_name = f.file_name
      AND c.file_row < f.file_row);

-- @statement batch_counts
SELECT b.action, COUNT(*) AS n
FROM work.fct_batch b
GROUP BY b.action;

-- @statement delta_batch
INSERT INTO work.fct_delta (change, event_date, week_start, workspace_key, user_key, feature_id, platform_key)
SELECT
  CASE WHEN b.action = 'insert' THEN 'insert' ELSE 'replace_new' END,
  b.event_date, b.week_start, b.workspace_key, b.user_key, b.feature_id, b.platform_key
FROM work.fct_batch b;

-- @statement delta_replaced
INSERT INTO work.fct_delta (change, event_date, week_start, workspace_key, user_key, feature_id, platform_key)
SELECT 'replace_old', f.event_date, f.week_start, f.workspace_key, f.user_key, f.feature_id, f.platform_key
FROM curated.fct_feature_events f
JOIN work.fct_batch b ON b.dedup_key = f.dedup_key
WHERE b.action = 'replace';

-- @statement delete_replaced
DELETE FROM curated.fct_feature_events
USING work.fct_batch AS b
WHERE fct_feature_events.dedup_key = b.dedup_key
  AND b.action = 'replace';

-- @statement insert_batch
INSERT INTO curated.fct_feature_events (
  dedup_key, event_id, event_name, schema_version, event_ts, event_date, week_start, occurred_at, sent_at,
  received_at, is_late_beyond_window, source_id, workspace_id, workspace_key, user_id, anonymous_id, user_key,
  feature_id, feature_known, platform, platform_key, app_version, locale, intake, call_type, properties,
  file_name, file_row, loaded_at
)
SELECT
  b.dedup_key, b.event_id, b.event_name, b.schema_version, b.event_ts, b.event_date, b.week_start, b.occurred_at,
  b.sent_at, b.received_at, b.is_late_beyond_window, b.source_id, b.workspace_id, b.workspace_key, b.user_id,
  b.anonymous_id, b.user_key, b.feature_id, b.feature_known, b.platform, b.platform_key, b.app_version, b.locale,
  b.intake, b.call_type, b.properties, b.file_name, b.file_row, b.loaded_at
FROM work.fct_batch b
ORDER BY b.event_date, b.workspace_key;

-- @statement delta_forced
INSERT INTO work.fct_delta (change, event_date, week_start, workspace_key, user_key, feature_id, platform_key)
SELECT DISTINCT 'forced', f.event_date, f.week_start, f.workspace_key, f.user_key, f.feature_id, f.platform_key
FROM curated.fct_feature_events f
WHERE f.event_date >= CAST(? AS DATE)
  AND f.event_date <= CAST(? AS DATE);

-- @statement delta_forced_features
INSERT INTO work.fct_delta (change, event_date, week_start, workspace_key, user_key, feature_id, platform_key)
SELECT DISTINCT 'forced', f.event_date, f.week_start, f.workspace_key, f.user_key, f.feature_id, f.platform_key
FROM curated.fct_feature_events f
JOIN (
  SELECT v.value:feature_id::VARCHAR AS feature_id
  FROM TABLE(FLATTEN(INPUT => PARSE_JSON(?))) AS v
) AS changed ON f.feature_id = changed.feature_id;

-- @statement delta_counts
SELECT d.change, COUNT(*) AS n
FROM work.fct_delta d
GROUP BY d.change;

-- @statement delete_all
DELETE FROM curated.fct_feature_events;
