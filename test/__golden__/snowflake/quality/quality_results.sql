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

-- @statement insert_check_runs
-- The run's summary per check (ops.quality_check_runs), from the results just inserted.
INSERT INTO ops.quality_check_runs (
  run_id, checked_at, check_name, severity, status, buckets, failing_buckets, observed_max, observed_abs_total
)
SELECT
  q.run_id,
  MIN(q.checked_at),
  q.check_name,
  MAX(q.severity),
  CASE MAX(CASE q.status WHEN 'fail' THEN 3 WHEN 'error' THEN 2 WHEN 'skipped' THEN 1 ELSE 0 END)
    WHEN 3 THEN 'fail' WHEN 2 THEN 'error' WHEN 1 THEN 'skipped' ELSE 'pass' END,
  COUNT(*),
  COUNT(CASE WHEN q.status = 'fail' THEN 1 END),
  MAX(CASE WHEN q.status IN ('pass', 'fail') THEN q.observed END),
  SUM(CASE WHEN q.status IN ('pass', 'fail') THEN ABS(q.observed) END)
FROM ops.quality_results q
WHERE q.run_id = CAST(? AS VARCHAR)
  AND q.checked_at >= CAST(? AS TIMESTAMP_NTZ)
GROUP BY q.run_id, q.check_name;

-- @statement prune
DELETE FROM ops.quality_results
WHERE checked_at < CAST(? AS TIMESTAMP_NTZ);

-- @statement prune_check_runs
DELETE FROM ops.quality_check_runs
WHERE checked_at < CAST(? AS TIMESTAMP_NTZ);
