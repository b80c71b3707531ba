-- Every result of every quality check run: one row per (run, check, bucket), kept 90 days (the results
-- writer prunes). status: pass | fail | skipped | error. expected_min / expected_max: the inclusive pass
-- range (NULL = open). offending_keys: JSON array of up to 20 offending keys. Key: (run_id, check_name, bucket).
-- The latest result of each (check, bucket) is ops.quality_status.
-- @statement create_table
CREATE TABLE IF NOT EXISTS ops.quality_results (
  run_id VARCHAR NOT NULL,
  checked_at TIMESTAMP_NTZ NOT NULL,
  check_name VARCHAR NOT NULL,
  bucket VARCHAR NOT NULL,
  severity VARCHAR NOT NULL,
  status VARCHAR NOT NULL,
  observed DOUBLE,
  expected_min DOUBLE,
  expected_max DOUBLE,
  offending_keys VARIANT,
  detail VARCHAR
) CLUSTER BY (checked_at);

-- @statement create_status_view
CREATE OR REPLACE VIEW ops.quality_status COPY GRANTS AS
SELECT q.run_id, q.checked_at, q.check_name, q.bucket, q.severity, q.status, q.observed, q.expected_min,
  q.expected_max, q.offending_keys, q.detail
FROM ops.quality_results q
QUALIFY ROW_NUMBER() OVER (PARTITION BY q.check_name, q.bucket ORDER BY q.checked_at DESC, q.run_id DESC) = 1;
