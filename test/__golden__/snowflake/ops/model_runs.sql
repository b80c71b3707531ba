-- Logging model runs (ops.model_runs).

-- @statement insert
INSERT INTO ops.model_runs (
  run_id, model_name, mode, status, started_at, finished_at, duration_ms, rows_read, rows_written,
  watermark_from, watermark_to, range_from, range_to, loads, error
)
SELECT
  CAST(? AS VARCHAR),
  CAST(? AS VARCHAR),
  CAST(? AS VARCHAR),
  CAST(? AS VARCHAR),
  CAST(? AS TIMESTAMP_NTZ),
  CAST(? AS TIMESTAMP_NTZ),
  CAST(? AS BIGINT),
  CAST(? AS BIGINT),
  CAST(? AS BIGINT),
  CAST(? AS TIMESTAMP_NTZ),
  CAST(? AS TIMESTAMP_NTZ),
  CAST(? AS DATE),
  CAST(? AS DATE),
  PARSE_JSON(?),
  CAST(? AS VARCHAR);
