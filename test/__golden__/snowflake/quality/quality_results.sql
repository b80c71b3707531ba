-- Writes a run's results to ops.quality_results. results: a JSON array of
-- { run_id, checked_at (UTC 'YYYY-MM-DD HH:MM:SS.mmm'), check_name, bucket, severity, status, observed,
--   expected_min, expected_max, offending_keys (array), detail }.
-- @statement insert_results
INSERT INTO ops.quality_results (
  run_id, checked_at, check_name, bucket, severity, status, observed, expected_min, expected_max, offending_keys, detail
)
SELECT
  v.value:run_id::VARCHAR,
  CAST(v.value:checked_at::VARCHAR AS TIMESTAMP_NTZ),
  v.value:check_name::VARCHAR,
  v.value:bucket::VARCHAR,
  v.value:severity::VARCHAR,
  v.value:status::VARCHAR,
  CAST(v.value:observed::VARCHAR AS DOUBLE),
  CAST(v.value:expected_min::VARCHAR AS DOUBLE),
  CAST(v.value:expected_max::VARCHAR AS DOUBLE),
  v.value:offending_keys,
  v.value:detail::VARCHAR
FROM TABLE(FLATTEN(INPUT => PARSE_JSON(?))) AS v;

-- @statement prune
DELETE FROM ops.quality_results
WHERE checked_at < CAST(? AS TIMESTAMP_NTZ);
