-- The stored copies of a run's staged keys found within the dedup window (work.fct_batch), with the keys the
-- aggregates depend on; replaced: a staged row precedes it, so the run deletes it from the fact.
CREATE TABLE IF NOT EXISTS work.fct_stored (
  dedup_key VARCHAR NOT NULL,
  event_date DATE NOT NULL,
  week_start DATE NOT NULL,
  workspace_key VARCHAR NOT NULL,
  user_key VARCHAR,
  feature_id VARCHAR,
  platform_key VARCHAR NOT NULL,
  received_at TIMESTAMP_NTZ NOT NULL,
  loaded_at TIMESTAMP_NTZ NOT NULL,
  file_name VARCHAR NOT NULL,
  file_row INTEGER NOT NULL,
  replaced BOOLEAN NOT NULL
);
