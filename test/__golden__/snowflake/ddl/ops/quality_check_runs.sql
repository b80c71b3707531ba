-- One row per check per quality run, summarising its buckets (ops.quality_results holds one row per bucket,
-- some 140 a run): what dashboards trend without reading every bucket. status: the worst of its buckets
-- (fail, error, skipped, pass in that order); observed_max and observed_abs_total: over its judged (pass
-- or fail) buckets. Written with the run's results, pruned with them (90 days).
-- Key: (run_id, check_name).
-- @statement create_table
CREATE TABLE IF NOT EXISTS ops.quality_check_runs (
  run_id VARCHAR NOT NULL,
  checked_at TIMESTAMP_NTZ NOT NULL,
  check_name VARCHAR NOT NULL,
  severity VARCHAR NOT NULL,
  status VARCHAR NOT NULL,
  buckets BIGINT NOT NULL,
  failing_buckets BIGINT NOT NULL,
  observed_max DOUBLE,
  observed_abs_total DOUBLE
) CLUSTER BY (checked_at);

-- @statement seed
-- Results recorded before this table existed, summarised once (only while the table is empty).
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
WHERE NOT EXISTS (SELECT 1 FROM ops.quality_check_runs)
GROUP BY q.run_id, q.check_name;
