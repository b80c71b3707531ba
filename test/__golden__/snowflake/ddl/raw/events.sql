-- One row per loaded line of an `events/` file (a ValidatedLine): typed envelope columns, the client's
-- original event as JSON, and where the row came from. Key: (file_name, file_row). Kept 180 days.
-- Timestamps are UTC. The local loader and Snowpipe COPY fill the same columns.
-- planned is last because tables made before it get it appended (add_planned), so both kinds have one
-- column order; every loader writes it (a line without it is planned: the validator wrote none before
-- tracking plans), so it is never NULL.

-- @statement create
CREATE TABLE IF NOT EXISTS raw.events (
  dedup_key VARCHAR NOT NULL,
  event_id VARCHAR,
  event_name VARCHAR NOT NULL,
  schema_version VARCHAR NOT NULL,
  occurred_at TIMESTAMP_NTZ,
  sent_at TIMESTAMP_NTZ,
  received_at TIMESTAMP_NTZ NOT NULL,
  event_ts TIMESTAMP_NTZ NOT NULL,
  user_id VARCHAR,
  anonymous_id VARCHAR,
  workspace_id VARCHAR,
  feature_id VARCHAR,
  feature_known BOOLEAN,
  platform VARCHAR,
  app_version VARCHAR,
  locale VARCHAR,
  source_id VARCHAR NOT NULL,
  intake VARCHAR,
  call_type VARCHAR,
  lineage VARIANT,
  payload VARIANT,
  file_name VARCHAR NOT NULL,
  file_row INTEGER NOT NULL,
  loaded_at TIMESTAMP_NTZ NOT NULL,
  planned BOOLEAN DEFAULT TRUE
) CLUSTER BY (loaded_at);

-- @statement add_planned
-- A raw.events made before tracking plans gets the column on the next start (tally dev) or setup script
-- run; its rows take the default, true: every event then was validated against a schema of its own.
ALTER TABLE raw.events ADD COLUMN IF NOT EXISTS planned BOOLEAN DEFAULT TRUE;
