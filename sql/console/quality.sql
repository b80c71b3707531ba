-- The console's quality views. Per check and run: ops.quality_check_runs (one row per check per run, its
-- worst status and counts); per bucket: ops.quality_results. Results checked in [from_ts, until_ts);
-- periods are hours or UTC days (grain). A status ranks pass 0 < skipped 1 < error 2 < fail 3: a check's
-- worst bucket is its status.

-- @statement latest_checks
-- Each check's latest run before until_ts (and after recent_ts): its worst status, its buckets, the
-- highest value observed and the sum of the values' sizes over its judged (pass or fail) buckets.
SELECT
  c.check_name,
  c.checked_at,
  c.severity,
  CASE c.status WHEN 'fail' THEN 3 WHEN 'error' THEN 2 WHEN 'skipped' THEN 1 ELSE 0 END AS worst,
  c.buckets,
  c.failing_buckets,
  c.observed_max,
  c.observed_abs_total
FROM ops.quality_check_runs c
WHERE c.checked_at >= CAST({{ param('recent_ts') }} AS {{ type_ts }})
  AND c.checked_at < CAST({{ param('until_ts') }} AS {{ type_ts }})
QUALIFY ROW_NUMBER() OVER (PARTITION BY c.check_name ORDER BY c.checked_at DESC, c.run_id DESC) = 1
ORDER BY c.check_name;

-- @statement history
-- Per period and check: runs, runs with a failing bucket, the most failing buckets in one run, the worst status.
SELECT
  CASE WHEN CAST({{ param('grain') }} AS VARCHAR) = 'hour'
    THEN DATE_TRUNC('hour', c.checked_at) ELSE DATE_TRUNC('day', c.checked_at) END AS period,
  c.check_name,
  COUNT(*) AS runs,
  COUNT(CASE WHEN c.status = 'fail' THEN 1 END) AS failing_runs,
  MAX(c.failing_buckets) AS failing_buckets,
  MAX(CASE c.status WHEN 'fail' THEN 3 WHEN 'error' THEN 2 WHEN 'skipped' THEN 1 ELSE 0 END) AS worst
FROM ops.quality_check_runs c
WHERE c.checked_at >= CAST({{ param('from_ts') }} AS {{ type_ts }})
  AND c.checked_at < CAST({{ param('until_ts') }} AS {{ type_ts }})
GROUP BY 1, c.check_name
ORDER BY 1, c.check_name;

-- @statement buckets
-- One check's buckets at its latest run before until_ts: the value, the pass range, the offending keys.
SELECT q.bucket, q.status, q.severity, q.observed, q.expected_min, q.expected_max, q.offending_keys, q.detail, q.checked_at
FROM ops.quality_results q
WHERE q.check_name = CAST({{ param('check') }} AS VARCHAR)
  AND q.checked_at = (
    SELECT MAX(x.checked_at) FROM ops.quality_check_runs x
    WHERE x.check_name = CAST({{ param('check') }} AS VARCHAR)
      AND x.checked_at < CAST({{ param('until_ts') }} AS {{ type_ts }})
  )
ORDER BY CASE q.status WHEN 'fail' THEN 0 WHEN 'error' THEN 1 WHEN 'skipped' THEN 2 ELSE 3 END, q.bucket;

-- @statement observed
-- One check per period: the highest value it observed in a judged bucket, and its failing buckets.
SELECT
  CASE WHEN CAST({{ param('grain') }} AS VARCHAR) = 'hour'
    THEN DATE_TRUNC('hour', c.checked_at) ELSE DATE_TRUNC('day', c.checked_at) END AS period,
  MAX(c.observed_max) AS highest,
  SUM(c.failing_buckets) AS failing_results
FROM ops.quality_check_runs c
WHERE c.check_name = CAST({{ param('check') }} AS VARCHAR)
  AND c.checked_at >= CAST({{ param('from_ts') }} AS {{ type_ts }})
  AND c.checked_at < CAST({{ param('until_ts') }} AS {{ type_ts }})
GROUP BY 1
ORDER BY 1;
