-- Deduplicated, typed events: one row per dedup_key within the dedup window (copies at most 2 days apart
-- are one event; the earliest received copy wins; ties go to the earliest load, then file name and row).
-- Events keep their own day (event_date from event_ts) however late they arrive; is_late_beyond_window
-- marks those more than the late window (72 h) behind received_at; event_ts_clamped marks those whose
-- event_ts was more than the future tolerance (5 min) after received_at and was set to that bound.
-- Kept 180 days (rounded down to a Monday) by event_date. Clustered by (event_date, workspace_key): every
-- read of the fact is bounded by event dates (a run's dedup lookups included), and the usage recompute of
-- a few workspaces on a late event's day reads those workspaces' partitions of that day.
CREATE TABLE IF NOT EXISTS curated.fct_feature_events (
  dedup_key VARCHAR NOT NULL,
  event_id VARCHAR,
  event_name VARCHAR NOT NULL,
  schema_version VARCHAR NOT NULL,
  event_ts {{ type_ts }} NOT NULL,
  event_ts_clamped BOOLEAN NOT NULL,
  event_date DATE NOT NULL,
  week_start DATE NOT NULL,
  occurred_at {{ type_ts }},
  sent_at {{ type_ts }},
  received_at {{ type_ts }} NOT NULL,
  is_late_beyond_window BOOLEAN NOT NULL,
  source_id VARCHAR NOT NULL,
  workspace_id VARCHAR,
  workspace_key VARCHAR NOT NULL,
  user_id VARCHAR,
  anonymous_id VARCHAR,
  user_key VARCHAR,
  feature_id VARCHAR,
  feature_known BOOLEAN,
  platform VARCHAR,
  platform_key VARCHAR NOT NULL,
  app_version VARCHAR,
  locale VARCHAR,
  intake VARCHAR,
  call_type VARCHAR,
  properties {{ type_json }},
  file_name VARCHAR NOT NULL,
  file_row INTEGER NOT NULL,
  loaded_at {{ type_ts }} NOT NULL
){{ cluster_by('event_date, workspace_key') }};
