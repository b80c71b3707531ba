-- Logging model runs (ops.model_runs): a run's records in one statement. runs: a JSON array of
-- { run_id, model_name, mode, status, started_at, finished_at (UTC 'YYYY-MM-DD HH:MM:SS.mmm'), duration_ms,
--   rows_read, rows_written, watermark_from, watermark_to (timestamps or null), range_from, range_to
--   ('YYYY-MM-DD' or null), loads (array of file names), error (text or null) }.

-- @statement insert
INSERT INTO ops.model_runs (
  run_id, model_name, mode, status, started_at, finished_at, duration_ms, rows_read, rows_written,
  watermark_from, watermark_to, range_from, range_to, loads, error
)
SELECT
  r.value:run_id::VARCHAR,
  r.value:model_name::VARCHAR,
  r.value:mode::VARCHAR,
  r.value:status::VARCHAR,
  CAST(r.value:started_at::VARCHAR AS TIMESTAMP_NTZ),
  CAST(r.value:finished_at::VARCHAR AS TIMESTAMP_NTZ),
  CAST(r.value:duration_ms::VARCHAR AS BIGINT),
  CAST(r.value:rows_read::VARCHAR AS BIGINT),
  CAST(r.value:rows_written::VARCHAR AS BIGINT),
  CAST(r.value:watermark_from::VARCHAR AS TIMESTAMP_NTZ),
  CAST(r.value:watermark_to::VARCHAR AS TIMESTAMP_NTZ),
  CAST(r.value:range_from::VARCHAR AS DATE),
  CAST(r.value:range_to::VARCHAR AS DATE),
  r.value:loads,
  r.value:error::VARCHAR
FROM TABLE(FLATTEN(INPUT => PARSE_JSON(?))) AS r;
