-- null-keys: rows whose identifying keys are missing, among rows loaded in (loaded_after, loaded_until].
-- Columns the DDL declares NOT NULL cannot be null; these are the keys the contract requires but the
-- tables cannot enforce. Each statement returns up to 20 offending keys, each row carrying the total
-- count of offending rows (no row: none). The keys of raw.events are one template, its slot `missing`
-- naming the key (lambdas/core/quality/checks/null-keys.ts fills it).

-- @template raw_events_missing
SELECT r.dedup_key AS offending_key, COUNT(*) OVER () AS offending
FROM raw.events r
WHERE {{ loaded_in_window('r') }}
  -- @if missing = user_key
  -- Neither user_id nor anonymous_id: the event cannot be attributed to anyone (user_key is NULL).
  AND r.user_id IS NULL
  AND r.anonymous_id IS NULL
  -- @end
  -- @if missing = feature_id
  -- A feature event without a feature id: it counts for no feature.
  AND r.event_name = {{ param('feature_event') }}
  AND r.feature_id IS NULL
  -- @end
  -- @if missing = workspace_id
  -- A feature event without a workspace: it counts for no workspace's adoption.
  AND r.event_name = {{ param('feature_event') }}
  AND r.workspace_id IS NULL
  -- @end
ORDER BY r.dedup_key
LIMIT 20;

-- @statement fct_user_key
-- A fact row without a user key: it is missing from every per-user table. days_from .. days_to: the event
-- days of the window's raw rows (sql/quality/fact_days.sql), which bound the fact read.
SELECT f.dedup_key AS offending_key, COUNT(*) OVER () AS offending
FROM curated.fct_feature_events f
WHERE f.event_date >= CAST({{ param('days_from') }} AS DATE)
  AND f.event_date <= CAST({{ param('days_to') }} AS DATE)
  AND {{ loaded_in_window('f') }}
  AND f.user_key IS NULL
ORDER BY f.dedup_key
LIMIT 20;
