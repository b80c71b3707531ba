-- curated.user_first_last for one fact (parameters fact, event_names, feature_family, feature_required:
-- the declaration's filter). A run recomputes, from curated.fct_feature_events, the snapshot rows
-- ("buckets") its changes touch: a day row for days on or after daily_from, a month row (month's last
-- day) for earlier days. Days before keep_from (the first whole month the fact still holds) are history
-- the fact no longer has: their rows are never rewritten. first_active_date is then realigned to the
-- earliest period_first_active_date of each touched user.

-- @statement compact_month_rows
INSERT INTO curated.user_first_last (
  fact, user_key, snapshot_date, snapshot_grain, first_active_date, last_active_date,
  period_first_active_date, active_days
)
SELECT
  u.fact,
  u.user_key,
  LAST_DAY(u.snapshot_date),
  'month',
  MIN(u.first_active_date),
  MAX(u.last_active_date),
  MIN(u.period_first_active_date),
  SUM(u.active_days)
FROM curated.user_first_last u
WHERE u.fact = CAST(? AS VARCHAR)
  AND u.snapshot_grain = 'day'
  AND u.snapshot_date < CAST(? AS DATE)
GROUP BY u.fact, u.user_key, LAST_DAY(u.snapshot_date);

-- @statement compact_day_rows
DELETE FROM curated.user_first_last
WHERE fact = CAST(? AS VARCHAR)
  AND snapshot_grain = 'day'
  AND snapshot_date < CAST(? AS DATE);

-- @statement clear_buckets
DELETE FROM work.first_last_buckets;

-- @statement buckets_inserted
INSERT INTO work.first_last_buckets (user_key, snapshot_date, bucket_start, snapshot_grain)
SELECT DISTINCT
  f.user_key,
  CASE WHEN f.event_date >= CAST(? AS DATE) THEN f.event_date ELSE LAST_DAY(f.event_date) END,
  CASE
    WHEN f.event_date >= CAST(? AS DATE) THEN f.event_date
    ELSE CAST(DATE_TRUNC('MONTH', f.event_date) AS DATE)
  END,
  CASE WHEN f.event_date >= CAST(? AS DATE) THEN 'day' ELSE 'month' END
FROM work.fct_batch f
LEFT JOIN (
  SELECT DISTINCT n.value:name::VARCHAR AS event_name
  FROM TABLE(FLATTEN(INPUT => PARSE_JSON(?))) AS n
) AS fact_names ON fact_names.event_name = f.event_name
LEFT JOIN curated.feature_closure fact_family
  ON fact_family.feature_id = f.feature_id
  AND fact_family.ancestor_id = CAST(? AS VARCHAR)
WHERE f.action = 'insert'
  AND f.user_key IS NOT NULL
  AND f.event_date >= CAST(? AS DATE)
  AND (CAST(? AS VARCHAR) IS NULL OR fact_names.event_name IS NOT NULL)
  AND (CAST(? AS VARCHAR) IS NULL OR fact_family.feature_id IS NOT NULL)
  AND (NOT CAST(? AS BOOLEAN) OR f.feature_id IS NOT NULL);

-- @statement buckets_recomputed
INSERT INTO work.first_last_buckets (user_key, snapshot_date, bucket_start, snapshot_grain)
SELECT DISTINCT
  d.user_key,
  CASE WHEN d.event_date >= CAST(? AS DATE) THEN d.event_date ELSE LAST_DAY(d.event_date) END,
  CASE
    WHEN d.event_date >= CAST(? AS DATE) THEN d.event_date
    ELSE CAST(DATE_TRUNC('MONTH', d.event_date) AS DATE)
  END,
  CASE WHEN d.event_date >= CAST(? AS DATE) THEN 'day' ELSE 'month' END
FROM work.fct_delta d
WHERE d.change <> 'insert'
  AND d.user_key IS NOT NULL
  AND d.event_date >= CAST(? AS DATE);

-- @statement buckets_all
INSERT INTO work.first_last_buckets (user_key, snapshot_date, bucket_start, snapshot_grain)
SELECT DISTINCT
  f.user_key,
  CASE WHEN f.event_date >= CAST(? AS DATE) THEN f.event_date ELSE LAST_DAY(f.event_date) END,
  CASE
    WHEN f.event_date >= CAST(? AS DATE) THEN f.event_date
    ELSE CAST(DATE_TRUNC('MONTH', f.event_date) AS DATE)
  END,
  CASE WHEN f.event_date >= CAST(? AS DATE) THEN 'day' ELSE 'month' END
FROM curated.fct_feature_events f
LEFT JOIN (
  SELECT DISTINCT n.value:name::VARCHAR AS event_name
  FROM TABLE(FLATTEN(INPUT => PARSE_JSON(?))) AS n
) AS fact_names ON fact_names.event_name = f.event_name
LEFT JOIN curated.feature_closure fact_family
  ON fact_family.feature_id = f.feature_id
  AND fact_family.ancestor_id = CAST(? AS VARCHAR)
WHERE f.user_key IS NOT NULL
  AND f.event_date >= CAST(? AS DATE)
  AND (CAST(? AS VARCHAR) IS NULL OR fact_names.event_name IS NOT NULL)
  AND (CAST(? AS VARCHAR) IS NULL OR fact_family.feature_id IS NOT NULL)
  AND (NOT CAST(? AS BOOLEAN) OR f.feature_id IS NOT NULL);

-- @statement delete_buckets
DELETE FROM curated.user_first_last
USING (SELECT DISTINCT b.user_key, b.snapshot_date FROM work.first_last_buckets b) AS k
WHERE user_first_last.fact = CAST(? AS VARCHAR)
  AND user_first_last.user_key = k.user_key
  AND user_first_last.snapshot_date = k.snapshot_date;

-- @statement insert_buckets
INSERT INTO curated.user_first_last (
  fact, user_key, snapshot_date, snapshot_grain, first_active_date, last_active_date,
  period_first_active_date, active_days
)
SELECT
  CAST(? AS VARCHAR),
  b.user_key,
  b.snapshot_date,
  b.snapshot_grain,
  MIN(f.event_date),
  MAX(f.event_date),
  MIN(f.event_date),
  COUNT(DISTINCT f.event_date)
FROM (SELECT DISTINCT user_key, snapshot_date, bucket_start, snapshot_grain FROM work.first_last_buckets) AS b
JOIN curated.fct_feature_events f
  ON f.user_key = b.user_key
  AND f.event_date >= b.bucket_start
  AND f.event_date <= b.snapshot_date
LEFT JOIN (
  SELECT DISTINCT n.value:name::VARCHAR AS event_name
  FROM TABLE(FLATTEN(INPUT => PARSE_JSON(?))) AS n
) AS fact_names ON fact_names.event_name = f.event_name
LEFT JOIN curated.feature_closure fact_family
  ON fact_family.feature_id = f.feature_id
  AND fact_family.ancestor_id = CAST(? AS VARCHAR)
WHERE (CAST(? AS VARCHAR) IS NULL OR fact_names.event_name IS NOT NULL)
  AND (CAST(? AS VARCHAR) IS NULL OR fact_family.feature_id IS NOT NULL)
  AND (NOT CAST(? AS BOOLEAN) OR f.feature_id IS NOT NULL)
GROUP BY b.user_key, b.snapshot_date, b.snapshot_grain;

-- @statement align_first
UPDATE curated.user_first_last
SET first_active_date = m.first_active_date
FROM (
  SELECT u.user_key, MIN(u.period_first_active_date) AS first_active_date
  FROM curated.user_first_last u
  JOIN (SELECT DISTINCT b.user_key FROM work.first_last_buckets b) AS k ON k.user_key = u.user_key
  WHERE u.fact = CAST(? AS VARCHAR)
  GROUP BY u.user_key
) AS m
WHERE user_first_last.fact = CAST(? AS VARCHAR)
  AND user_first_last.user_key = m.user_key
  AND user_first_last.first_active_date <> m.first_active_date;

-- @statement delete_kept_range
DELETE FROM curated.user_first_last
WHERE fact = CAST(? AS VARCHAR)
  AND snapshot_date >= CAST(? AS DATE);

-- @statement delete_fact
DELETE FROM curated.user_first_last WHERE fact = CAST(? AS VARCHAR);
