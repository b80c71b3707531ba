-- curated.fct_feature_events: one row per dedup_key within the dedup window (copies whose event dates are
-- at most dedup_window_days apart are one event), the earliest received copy (ties: earliest load, then
-- file name and row), whatever order the copies were loaded in. A run stages the raw rows of its window
-- (loaded_at in (loaded_after, loaded_until], clamped event_ts in [event_from, event_before)) in
-- work.fct_batch, one copy per key; looks up the stored copies of those keys only on the fact's days
-- within the window of each staged row (find_stored, once per range of days, so the read is pruned by
-- the clustering key); drops staged rows a stored copy precedes and replaces stored copies a staged row
-- precedes. A copy further than the window from the stored one is a second row (counted by the
-- dedup-window quality check).
-- event_ts later than received_at + future_tolerance_minutes (a device clock ahead) is clamped to that
-- bound and flagged (event_ts_clamped).
-- Rows of erased users (ops.erased_users) never reach the fact: sql/erasure/suppression.sql records them
-- in ops.erasure_staged_rows (and counts them) first, in the same transaction, and stage drops every row
-- recorded there.
-- What changed is written to work.fct_delta for the aggregates.

-- @statement clear_batch
DELETE FROM work.fct_batch;

-- @statement clear_delta
DELETE FROM work.fct_delta;

-- @statement clear_stored
DELETE FROM work.fct_stored;

-- @statement window_end
SELECT MAX(r.loaded_at) AS loaded_until
FROM raw.events r
WHERE r.loaded_at > CAST({{ param('loaded_after') }} AS {{ type_ts }});

-- @statement window_loads
SELECT r.file_name, COUNT(*) AS rows_read
FROM raw.events r
WHERE {{ loaded_in_window('r') }}
  AND {{ clamped_event_ts('r') }} >= CAST({{ param('event_from') }} AS {{ type_ts }})
  AND {{ clamped_event_ts('r') }} < CAST({{ param('event_before') }} AS {{ type_ts }})
GROUP BY r.file_name
ORDER BY r.file_name;

-- @statement stage
-- The window's rows, one copy per key (the earliest received), as 'insert' until find_stored says more.
INSERT INTO work.fct_batch (
  dedup_key, event_id, event_name, schema_version, event_ts, event_ts_clamped, event_date, week_start,
  occurred_at, sent_at, received_at, is_late_beyond_window, source_id, workspace_id, workspace_key, user_id,
  anonymous_id, user_key, feature_id, feature_known, platform, platform_key, app_version, locale, intake,
  call_type, properties, file_name, file_row, loaded_at, action
)
SELECT
  c.dedup_key, c.event_id, c.event_name, c.schema_version, c.event_ts, c.event_ts_clamped,
  CAST(c.event_ts AS DATE), {{ iso_week_start('CAST(c.event_ts AS DATE)') }}, c.occurred_at, c.sent_at,
  c.received_at, {{ ts_add_hours('c.event_ts', param('late_window_hours')) }} < c.received_at, c.source_id,
  c.workspace_id, COALESCE(c.workspace_id, '(none)'), c.user_id, c.anonymous_id,
  COALESCE(c.user_id, 'anon:' || c.anonymous_id), c.feature_id, c.feature_known, c.platform,
  COALESCE(c.platform, '(none)'), c.app_version, c.locale, c.intake, c.call_type, c.properties, c.file_name,
  c.file_row, c.loaded_at, 'insert'
FROM (
  SELECT
    r.dedup_key,
    r.event_id,
    r.event_name,
    r.schema_version,
    {{ clamped_event_ts('r') }} AS event_ts,
    r.event_ts > {{ clamped_event_ts('r') }} AS event_ts_clamped,
    r.occurred_at,
    r.sent_at,
    r.received_at,
    r.source_id,
    r.workspace_id,
    r.user_id,
    r.anonymous_id,
    r.feature_id,
    r.feature_known,
    r.platform,
    r.app_version,
    r.locale,
    r.intake,
    r.call_type,
    {{ json_get('r.payload', 'properties') }} AS properties,
    r.file_name,
    r.file_row,
    r.loaded_at
  FROM raw.events r
  -- suppression: erasure/suppression#mark_staged has just recorded the window's rows of erased users
  WHERE {{ unstaged_window_row('r') }}
  QUALIFY ROW_NUMBER() OVER (
    PARTITION BY r.dedup_key ORDER BY r.received_at, r.loaded_at, r.file_name, r.file_row
  ) = 1
) c;

-- @statement batch_days
-- The staged event dates: the caller looks stored copies up on these days +- the window, range by range.
SELECT DISTINCT b.event_date
FROM work.fct_batch b
ORDER BY b.event_date;

-- @statement find_stored
-- Stored copies of the staged keys on the days [days_from, days_to], each within the window of a staged
-- row of its key. The constant range prunes the fact by its clustering key; the caller covers every
-- staged row's window with such ranges.
INSERT INTO work.fct_stored (
  dedup_key, event_date, week_start, workspace_key, user_key, feature_id, platform_key, received_at,
  loaded_at, file_name, file_row, replaced
)
SELECT
  f.dedup_key, f.event_date, f.week_start, f.workspace_key, f.user_key, f.feature_id, f.platform_key,
  f.received_at, f.loaded_at, f.file_name, f.file_row, FALSE
FROM curated.fct_feature_events f
WHERE f.event_date >= CAST({{ param('days_from') }} AS DATE)
  AND f.event_date <= CAST({{ param('days_to') }} AS DATE)
  AND EXISTS (
    SELECT 1 FROM work.fct_batch b
    WHERE b.dedup_key = f.dedup_key
      AND f.event_date <= {{ date_add_days('b.event_date', param('dedup_window_days')) }}
      AND b.event_date <= {{ date_add_days('f.event_date', param('dedup_window_days')) }}
  );

-- @statement drop_superseded
-- Staged rows a stored copy in their window precedes (or is: a row read again) change nothing.
DELETE FROM work.fct_batch
WHERE EXISTS (
  SELECT 1 FROM work.fct_stored s
  WHERE s.dedup_key = fct_batch.dedup_key
    AND s.event_date <= {{ date_add_days('fct_batch.event_date', param('dedup_window_days')) }}
    AND fct_batch.event_date <= {{ date_add_days('s.event_date', param('dedup_window_days')) }}
    AND NOT (
      fct_batch.received_at < s.received_at
      OR (fct_batch.received_at = s.received_at AND fct_batch.loaded_at < s.loaded_at)
      OR (fct_batch.received_at = s.received_at AND fct_batch.loaded_at = s.loaded_at
          AND fct_batch.file_name < s.file_name)
      OR (fct_batch.received_at = s.received_at AND fct_batch.loaded_at = s.loaded_at
          AND fct_batch.file_name = s.file_name AND fct_batch.file_row < s.file_row)
    )
);

-- @statement mark_replaced
-- The stored copies left in a staged row's window are preceded by it: they are replaced.
UPDATE work.fct_stored
SET replaced = TRUE
WHERE EXISTS (
  SELECT 1 FROM work.fct_batch b
  WHERE b.dedup_key = fct_stored.dedup_key
    AND fct_stored.event_date <= {{ date_add_days('b.event_date', param('dedup_window_days')) }}
    AND b.event_date <= {{ date_add_days('fct_stored.event_date', param('dedup_window_days')) }}
);

-- @statement mark_replacing
UPDATE work.fct_batch
SET action = 'replace'
WHERE EXISTS (SELECT 1 FROM work.fct_stored s WHERE s.dedup_key = fct_batch.dedup_key AND s.replaced);

-- @statement replaced_days
SELECT MIN(s.event_date) AS days_from, MAX(s.event_date) AS days_to
FROM work.fct_stored s
WHERE s.replaced;

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
SELECT 'replace_old', s.event_date, s.week_start, s.workspace_key, s.user_key, s.feature_id, s.platform_key
FROM work.fct_stored s
WHERE s.replaced;

-- @statement delete_replaced
-- A fact row is the copy loaded from (file_name, file_row); days_from / days_to bound the days replaced.
DELETE FROM curated.fct_feature_events
USING work.fct_stored AS s
WHERE s.replaced
  AND fct_feature_events.event_date >= CAST({{ param('days_from') }} AS DATE)
  AND fct_feature_events.event_date <= CAST({{ param('days_to') }} AS DATE)
  AND fct_feature_events.event_date = s.event_date
  AND fct_feature_events.dedup_key = s.dedup_key
  AND fct_feature_events.file_name = s.file_name
  AND fct_feature_events.file_row = s.file_row;

-- @statement insert_batch
INSERT INTO curated.fct_feature_events (
  dedup_key, event_id, event_name, schema_version, event_ts, event_ts_clamped, event_date, week_start,
  occurred_at, sent_at, received_at, is_late_beyond_window, source_id, workspace_id, workspace_key, user_id,
  anonymous_id, user_key, feature_id, feature_known, platform, platform_key, app_version, locale, intake,
  call_type, properties, file_name, file_row, loaded_at
)
SELECT
  b.dedup_key, b.event_id, b.event_name, b.schema_version, b.event_ts, b.event_ts_clamped, b.event_date,
  b.week_start, b.occurred_at, b.sent_at, b.received_at, b.is_late_beyond_window, b.source_id, b.workspace_id,
  b.workspace_key, b.user_id, b.anonymous_id, b.user_key, b.feature_id, b.feature_known, b.platform,
  b.platform_key, b.app_version, b.locale, b.intake, b.call_type, b.properties, b.file_name, b.file_row,
  b.loaded_at
FROM work.fct_batch b
ORDER BY b.event_date, b.workspace_key;

-- @statement delta_forced
INSERT INTO work.fct_delta (change, event_date, week_start, workspace_key, user_key, feature_id, platform_key)
SELECT DISTINCT 'forced', f.event_date, f.week_start, f.workspace_key, f.user_key, f.feature_id, f.platform_key
FROM curated.fct_feature_events f
WHERE f.event_date >= CAST({{ param('forced_from') }} AS DATE)
  AND f.event_date <= CAST({{ param('forced_to') }} AS DATE);

-- @statement delta_forced_features
INSERT INTO work.fct_delta (change, event_date, week_start, workspace_key, user_key, feature_id, platform_key)
SELECT DISTINCT 'forced', f.event_date, f.week_start, f.workspace_key, f.user_key, f.feature_id, f.platform_key
FROM curated.fct_feature_events f
JOIN (
  SELECT {{ json_str('v.value', 'feature_id') }} AS feature_id
  FROM {{ json_rows(param('feature_ids')) }} AS v
) AS changed ON f.feature_id = changed.feature_id;

-- @statement delta_counts
SELECT d.change, COUNT(*) AS n
FROM work.fct_delta d
GROUP BY d.change;

-- @statement delete_all
DELETE FROM curated.fct_feature_events;
