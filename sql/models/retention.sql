-- Retention: raw tables keep 180 days of loads, the fact 180 days of events (from a Monday, so no week
-- is half kept), aggregates 3 years. Horizons come from the run's as-of clock; deleting again deletes
-- nothing, so reruns are safe.

-- @statement raw_events
DELETE FROM raw.events WHERE loaded_at < CAST({{ param('raw_horizon') }} AS {{ type_ts }});

-- @statement raw_rejected_events
DELETE FROM raw.rejected_events WHERE loaded_at < CAST({{ param('raw_horizon') }} AS {{ type_ts }});

-- @statement fct_feature_events
DELETE FROM curated.fct_feature_events WHERE event_date < CAST({{ param('fact_horizon') }} AS DATE);

-- @statement feature_usage_daily
DELETE FROM curated.feature_usage_daily WHERE event_date < CAST({{ param('aggregate_horizon') }} AS DATE);

-- @statement feature_usage_weekly
DELETE FROM curated.feature_usage_weekly WHERE week_start < CAST({{ param('aggregate_horizon') }} AS DATE);

-- @statement user_feature_last_seen
DELETE FROM curated.user_feature_last_seen WHERE last_seen < CAST({{ param('aggregate_horizon') }} AS DATE);

-- @statement workspace_user_last_seen
DELETE FROM curated.workspace_user_last_seen WHERE last_seen < CAST({{ param('aggregate_horizon') }} AS DATE);

-- @statement feature_adoption_by_workspace
DELETE FROM curated.feature_adoption_by_workspace
WHERE last_used < CAST({{ param('aggregate_horizon') }} AS DATE);

-- @statement user_index
-- An index row goes once nothing it points to can be left: its raw rows past the raw retention, its days
-- past the aggregates' (per-user aggregates keep 3 years).
DELETE FROM curated.user_index
WHERE last_loaded_at < CAST({{ param('raw_horizon') }} AS {{ type_ts }})
  AND last_event_date < CAST({{ param('aggregate_horizon') }} AS DATE);
