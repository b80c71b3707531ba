-- The console's quality views over ops.quality_results (one row per run, check and bucket). Results
-- checked in [from_ts, until_ts); periods are hours or UTC days (grain). A status ranks
-- pass 0 < skipped 1 < error 2 < fail 3: a check's worst bucket is its status.

-- @statement latest_checks
-- Each check's latest run before until_ts (and after recent_ts): its worst status, its buckets, the
-- highest value observed and the sum of the values' sizes over its judged (pass or fail) buckets.
WITH latest AS (
  SELECT q.check_name, MAX(q.checked_at) AS checked_at
  FROM ops.quality_results q
  WHERE q.checked_at >= CAST({{ param('recent_ts') }} AS {{ type_ts }})
    AND q.checked_at < CAST({{ param('until_ts') }} AS {{ type_ts }})
  GROUP BY q.check_name
)
SELECT
  q.check_name,
  l.checked_at,
  MAX(q.severity) AS severity,
  MAX(CASE q.status WHEN 'fail' THEN 3 WHEN 'error' THEN 2 WHEN 'skipped' THEN 1 ELSE 0 END) AS worst,
  COUNT(*) AS buckets,
  COUNT(CASE WHEN q.status = 'fail' THEN 1 END) AS failing_buckets,
  MAX(CASE WHEN q.status IN ('pass', 'fail') THEN q.observed END) AS observed_max,
  SUM(CASE WHEN q.status IN ('pass', 'fail') THEN ABS(q.observed) END) AS observed_abs_total
FROM ops.quality_results q
JOIN latest l ON l.check_name = q.check_name AND l.checked_at = q.checked_at
WHERE q.checked_at >= CAST({{ param('recent_ts') }} AS {{ type_ts }})
  AND q.checked_at < CAST({{ param('until_ts') }} AS {{ type_ts }})
GROUP BY q.check_name, l.checked_at
ORDER BY q.check_name;

-- @statement history
-- Per period and check: runs, runs with a failing bucket, the most failing buckets in one run, the worst status.
WITH per_run AS (
  SELECT
    q.check_name,
    q.run_id,
    MIN(q.checked_at) AS checked_at,
    MAX(CASE q.status WHEN 'fail' THEN 3 WHEN 'error' THEN 2 WHEN 'skipped' THEN 1 ELSE 0 END) AS worst,
    COUNT(CASE WHEN q.status = 'fail' THEN 1 END) AS failing_buckets
  FROM ops.quality_results q
  WHERE q.checked_at >= CAST({{ param('from_ts') }} AS {{ type_ts }})
    AND q.checked_at < CAST({{ param('until_ts') }} AS {{ type_ts }})
  GROUP BY q.check_name, q.run_id
)
SELECT
  CASE WHEN CAST({{ param('grain') }} AS VARCHAR) = 'hour'
    THEN DATE_TRUNC('hour', r.checked_at) ELSE DATE_TRUNC('day', r.checked_at) END AS period,
  r.check_name,
  COUNT(*) AS runs,
  COUNT(CASE WHEN r.worst = 3 THEN 1 END) AS failing_runs,
  MAX(r.failing_buckets) AS failing_buckets,
  MAX(r.worst) AS worst
FROM per_run r
GROUP BY 1, r.check_name
ORDER BY 1, r.check_name;

-- @statement buckets
-- One check's buckets at its latest run before until_ts: the value, the pass range, the offending keys.
SELECT q.bucket, q.status, q.severity, q.observed, q.expected_min, q.expected_max, q.offending_keys, q.detail, q.checked_at
FROM ops.quality_results q
WHERE q.check_name = CAST({{ param('check') }} AS VARCHAR)
  AND q.checked_at = (
    SELECT MAX(x.checked_at) FROM ops.quality_results x
    WHERE x.check_name = CAST({{ param('check') }} AS VARCHAR)
      AND x.checked_at < CAST({{ param('until_ts') }} AS {{ type_ts }})
  )
ORDER BY CASE q.status WHEN 'fail' THEN 0 WHEN 'error' THEN 1 WHEN 'skipped' THEN 2 ELSE 3 END, q.bucket;

-- @statement observed
-- One check's observed values per period: the lowest and highest over its buckets and runs.
SELECT
  CASE WHEN CAST({{ param('grain') }} AS VARCHAR) = 'hour'
    THEN DATE_TRUNC('hour', q.checked_at) ELSE DATE_TRUNC('day', q.checked_at) END AS period,
  MIN(q.observed) AS lowest,
  MAX(q.observed) AS highest,
  COUNT(CASE WHEN q.status = 'fail' THEN 1 END) AS failing_results
FROM ops.quality_results q
WHERE q.check_name = CAST({{ param('check') }} AS VARCHAR)
  AND q.checked_at >= CAST({{ param('from_ts') }} AS {{ type_ts }})
  AND q.checked_at < CAST({{ param('until_ts') }} AS {{ type_ts }})
GROUP BY 1
ORDER BY 1;
