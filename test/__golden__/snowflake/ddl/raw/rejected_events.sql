-- One row per loaded line of a `rejected/` file (a RejectedLine): why the event was rejected and the
-- original collected record for replay. Key: (file_name, file_row). Kept 180 days.
CREATE TABLE IF NOT EXISTS raw.rejected_events (
  reason_code VARCHAR NOT NULL,
  reason_message VARCHAR,
  reason_path VARCHAR,
  reason_keyword VARCHAR,
  source_id VARCHAR,
  received_at TIMESTAMP_NTZ NOT NULL,
  request_id VARCHAR,
  intake VARCHAR,
  event_name VARCHAR,
  event_id VARCHAR,
  workspace_id VARCHAR,
  user_id VARCHAR,
  raw_record VARCHAR NOT NULL,
  lineage VARIANT,
  file_name VARCHAR NOT NULL,
  file_row INTEGER NOT NULL,
  loaded_at TIMESTAMP_NTZ NOT NULL
) CLUSTER BY (loaded_at);
