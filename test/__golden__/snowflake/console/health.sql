-- The console's Health page. Freshness, completeness, anomalies and failing checks come from
-- ops.quality_check_runs: what the checks observed at each run (results checked in [from_ts, until_ts)),
-- so the page shows what the alarms see. Per run: raw freshness (freshness-raw, seconds since the
-- newest load), curated freshness (freshness-curated, the stalest model's lag), events unaccounted for
-- (reconciliation, the sum of |gap| over its judged buckets; none when it judged none), volume
-- anomalies (failing buckets of the volume checks) and failing checks. Per period (hour or UTC day), and for the whole range (period
-- NULL): percentiles of the freshness values and the most of each count in one run. Check names are
-- bound by the report.

-- @statement runs
WITH runs AS (
  SELECT
    c.run_id,
    MIN(c.checked_at) AS checked_at,
    MAX(CASE WHEN c.check_name = CAST(? AS VARCHAR) THEN c.observed_max END) AS raw_freshness,
    MAX(CASE WHEN c.check_name = CAST(? AS VARCHAR) THEN c.observed_max END)
      AS curated_freshness,
    MAX(CASE WHEN c.check_name = CAST(? AS VARCHAR) THEN c.observed_abs_total END)
      AS unaccounted,
    CASE WHEN COUNT(CASE WHEN c.check_name IN (CAST(? AS VARCHAR),
        CAST(? AS VARCHAR)) THEN 1 END) > 0
      THEN SUM(CASE WHEN c.check_name IN (CAST(? AS VARCHAR),
        CAST(? AS VARCHAR)) THEN c.failing_buckets ELSE 0 END)
    END AS anomalies,
    COUNT(CASE WHEN c.status = 'fail' THEN 1 END) AS failing_checks
  FROM ops.quality_check_runs c
  WHERE c.checked_at >= CAST(? AS TIMESTAMP_NTZ)
    AND c.checked_at < CAST(? AS TIMESTAMP_NTZ)
  GROUP BY c.run_id
),
periods AS (
  SELECT
    CASE WHEN CAST(? AS VARCHAR) = 'hour'
      THEN DATE_TRUNC('hour', r.checked_at) ELSE DATE_TRUNC('day', r.checked_at) END AS period,
    r.*
  FROM runs r
)
SELECT
  p.period,
  COUNT(*) AS runs,
  PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY p.raw_freshness) AS raw_p50,
  PERCENTILE_CONT(0.95) WITHIN GROUP (ORDER BY p.raw_freshness) AS raw_p95,
  PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY p.curated_freshness) AS curated_p50,
  PERCENTILE_CONT(0.95) WITHIN GROUP (ORDER BY p.curated_freshness) AS curated_p95,
  MAX(p.unaccounted) AS unaccounted,
  MAX(p.anomalies) AS anomalies,
  MAX(p.failing_checks) AS failing_checks
FROM periods p
GROUP BY GROUPING SETS ((p.period), ())
ORDER BY p.period NULLS FIRST;

-- @statement rejected
-- Events loaded per period (validated: raw.events; rejected by reason: raw.rejected_events), for the
-- reject rate. Raw rows loaded in [from_ts, until_ts) and no later than the fact's watermark, so the
-- counts change only with a model run, like every other number of the page. Pruned by loaded_at, the
-- raw tables' clustering key.
SELECT
  CASE WHEN CAST(? AS VARCHAR) = 'hour'
    THEN DATE_TRUNC('hour', e.loaded_at) ELSE DATE_TRUNC('day', e.loaded_at) END AS period,
  e.reason_code,
  COUNT(*) AS events
FROM (
  SELECT r.loaded_at, CAST(NULL AS VARCHAR) AS reason_code
  FROM raw.events r
  WHERE r.loaded_at >= CAST(? AS TIMESTAMP_NTZ)
    AND r.loaded_at < CAST(? AS TIMESTAMP_NTZ)
    AND r.loaded_at <= (SELECT w.loaded_at_watermark FROM ops.watermarks w WHERE w.model_name = 'fct_feature_events')
  UNION ALL
  SELECT j.loaded_at, j.reason_code
  FROM raw.rejected_events j
  WHERE j.loaded_at >= CAST(? AS TIMESTAMP_NTZ)
    AND j.loaded_at < CAST(? AS TIMESTAMP_NTZ)
    AND j.loaded_at <= (SELECT w.loaded_at_watermark FROM ops.watermarks w WHERE w.model_name = 'fct_feature_events')
) e
GROUP BY 1, e.reason_code
ORDER BY 1, e.reason_code NULLS FIRST;
