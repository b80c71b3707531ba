-- curated.activation_summary for one fact and grain, for every period from from_period to the as-of
-- period, from the users per state and transition of each period staged in work.activation_counts:
--   count_states: recounted from curated.activation_states (a rebuild, a backfill, an erasure);
--   count_delta: the stored summary rows plus the run's delta (the scoped users' rows derived again, in;
--     the rows they replace, out: work.activation_rows), so an incremental run reads the users it
--     recomputes, not every user of the recomputed periods. Exact while the stored counts of those periods
--     are the counts of activation_states: every run that writes state rows writes the summary of their
--     periods, and the erasure, which deletes a user's state rows itself, recounts (its user's counts
--     outlive it only in a period runs no longer recompute, so a delta run starts after the first period
--     runs recompute).
-- periods: a JSON array of { period_start, period_index } from the period before from_period (whose
-- active users give previous_active_users; previous_period is its first day: the counts are read from
-- there on only) to the as-of period. inactive_users =
-- users first active before the period - Retained - Reactivated, where users first active before
-- from_period (seen_before_from) come from the previous summary row (its active and inactive users) and
-- later ones are the New users of the periods in between. A period gets a row once anyone has been
-- active in it or before it.

-- @statement count_states
INSERT INTO work.activation_counts (
  period_start, new_users, retained_users, reactivated_users, churned_users, new_to_retained, retained_to_retained,
  reactivated_to_retained, new_to_inactive, retained_to_inactive, reactivated_to_inactive
)
SELECT a.period_start, SUM(CASE WHEN a.state = 'New' THEN 1 ELSE 0 END),
  SUM(CASE WHEN a.state = 'Retained' THEN 1 ELSE 0 END),
  SUM(CASE WHEN a.state = 'Reactivated' THEN 1 ELSE 0 END),
  SUM(CASE WHEN a.is_churned THEN 1 ELSE 0 END),
  SUM(CASE WHEN a.transition = 'New -> Retained' THEN 1 ELSE 0 END),
  SUM(CASE WHEN a.transition = 'Retained -> Retained' THEN 1 ELSE 0 END),
  SUM(CASE WHEN a.transition = 'Reactivated -> Retained' THEN 1 ELSE 0 END),
  SUM(CASE WHEN a.transition = 'New -> Inactive' THEN 1 ELSE 0 END),
  SUM(CASE WHEN a.transition = 'Retained -> Inactive' THEN 1 ELSE 0 END),
  SUM(CASE WHEN a.transition = 'Reactivated -> Inactive' THEN 1 ELSE 0 END)
FROM curated.activation_states a
WHERE a.fact = CAST(? AS VARCHAR)
  AND a.grain = CAST(? AS VARCHAR)
  AND a.period_start >= CAST(? AS DATE)
GROUP BY a.period_start;

-- @statement count_delta
INSERT INTO work.activation_counts (
  period_start, new_users, retained_users, reactivated_users, churned_users, new_to_retained, retained_to_retained,
  reactivated_to_retained, new_to_inactive, retained_to_inactive, reactivated_to_inactive
)
SELECT
  s.period_start, s.new_users, s.retained_users, s.reactivated_users, s.churned_users, s.new_to_retained,
  s.retained_to_retained, s.reactivated_to_retained, s.new_to_inactive, s.retained_to_inactive,
  s.reactivated_to_inactive
FROM curated.activation_summary s
WHERE s.fact = CAST(? AS VARCHAR)
  AND s.grain = CAST(? AS VARCHAR)
  AND s.period_start >= CAST(? AS DATE)
UNION ALL
SELECT r.period_start, SUM(CASE WHEN r.state = 'New' THEN CASE r.side WHEN 'next' THEN 1 ELSE -1 END ELSE 0 END),
  SUM(CASE WHEN r.state = 'Retained' THEN CASE r.side WHEN 'next' THEN 1 ELSE -1 END ELSE 0 END),
  SUM(CASE WHEN r.state = 'Reactivated' THEN CASE r.side WHEN 'next' THEN 1 ELSE -1 END ELSE 0 END),
  SUM(CASE WHEN r.is_churned THEN CASE r.side WHEN 'next' THEN 1 ELSE -1 END ELSE 0 END),
  SUM(CASE WHEN r.transition = 'New -> Retained' THEN CASE r.side WHEN 'next' THEN 1 ELSE -1 END ELSE 0 END),
  SUM(CASE WHEN r.transition = 'Retained -> Retained' THEN CASE r.side WHEN 'next' THEN 1 ELSE -1 END ELSE 0 END),
  SUM(CASE WHEN r.transition = 'Reactivated -> Retained' THEN CASE r.side WHEN 'next' THEN 1 ELSE -1 END ELSE 0 END),
  SUM(CASE WHEN r.transition = 'New -> Inactive' THEN CASE r.side WHEN 'next' THEN 1 ELSE -1 END ELSE 0 END),
  SUM(CASE WHEN r.transition = 'Retained -> Inactive' THEN CASE r.side WHEN 'next' THEN 1 ELSE -1 END ELSE 0 END),
  SUM(CASE WHEN r.transition = 'Reactivated -> Inactive' THEN CASE r.side WHEN 'next' THEN 1 ELSE -1 END ELSE 0 END)
FROM work.activation_rows r
LEFT JOIN work.activation_scope u ON u.user_key = r.user_key
-- a prior row before the user's first recomputed period is their seed, kept
WHERE r.side = 'next' OR r.period_start >= u.from_period
GROUP BY r.period_start;

-- @statement clear_counts
DELETE FROM work.activation_counts;

-- @statement insert_periods
INSERT INTO curated.activation_summary (
  fact, grain, period_start, active_users, new_users, retained_users, reactivated_users, churned_users,
  inactive_users, previous_active_users, none_to_new, new_to_retained, retained_to_retained,
  reactivated_to_retained, inactive_to_reactivated, new_to_inactive, retained_to_inactive,
  reactivated_to_inactive, inactive_to_inactive, quick_ratio, retention_rate
)
WITH spine AS (
  SELECT
    CAST(p.value:period_start::VARCHAR AS DATE) AS period_start,
    CAST(p.value:period_index::VARCHAR AS INTEGER) AS period_index
  FROM TABLE(FLATTEN(INPUT => PARSE_JSON(?))) AS p
),
counts (
  period_start, new_users, retained_users, reactivated_users, churned_users, new_to_retained, retained_to_retained,
  reactivated_to_retained, new_to_inactive, retained_to_inactive, reactivated_to_inactive
) AS (
  SELECT c.period_start, SUM(c.new_users),
  SUM(c.retained_users),
  SUM(c.reactivated_users),
  SUM(c.churned_users),
  SUM(c.new_to_retained),
  SUM(c.retained_to_retained),
  SUM(c.reactivated_to_retained),
  SUM(c.new_to_inactive),
  SUM(c.retained_to_inactive),
  SUM(c.reactivated_to_inactive)
  FROM work.activation_counts c
  GROUP BY c.period_start
),
periods AS (
  SELECT
    spine.period_start,
    COALESCE(c.new_users, 0) AS new_users,
    COALESCE(c.retained_users, 0) AS retained_users,
    COALESCE(c.reactivated_users, 0) AS reactivated_users,
    COALESCE(c.churned_users, 0) AS churned_users,
    COALESCE(c.new_to_retained, 0) AS new_to_retained,
    COALESCE(c.retained_to_retained, 0) AS retained_to_retained,
    COALESCE(c.reactivated_to_retained, 0) AS reactivated_to_retained,
    COALESCE(c.new_to_inactive, 0) AS new_to_inactive,
    COALESCE(c.retained_to_inactive, 0) AS retained_to_inactive,
    COALESCE(c.reactivated_to_inactive, 0) AS reactivated_to_inactive,
    CAST(? AS BIGINT)
      + SUM(CASE WHEN spine.period_start >= CAST(? AS DATE) THEN COALESCE(c.new_users, 0) ELSE 0 END)
        OVER (ORDER BY spine.period_index ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
      - COALESCE(c.new_users, 0) AS seen_before,
    COALESCE(c.new_users, 0) + COALESCE(c.retained_users, 0) + COALESCE(c.reactivated_users, 0) AS active_users,
    COALESCE(
      LAG(COALESCE(c.new_users, 0) + COALESCE(c.retained_users, 0) + COALESCE(c.reactivated_users, 0))
        OVER (ORDER BY spine.period_index),
      0
    ) AS previous_active_users
  FROM spine
  LEFT JOIN counts c ON c.period_start = spine.period_start
)
SELECT
  CAST(? AS VARCHAR),
  CAST(? AS VARCHAR),
  p.period_start,
  p.active_users,
  p.new_users,
  p.retained_users,
  p.reactivated_users,
  p.churned_users,
  p.seen_before - p.retained_users - p.reactivated_users,
  p.previous_active_users,
  p.new_users,
  p.new_to_retained,
  p.retained_to_retained,
  p.reactivated_to_retained,
  p.reactivated_users,
  p.new_to_inactive,
  p.retained_to_inactive,
  p.reactivated_to_inactive,
  p.seen_before - p.retained_users - p.reactivated_users - p.churned_users,
  CASE WHEN p.churned_users > 0 THEN CAST(p.new_users + p.reactivated_users AS DOUBLE) / p.churned_users END,
  CASE WHEN p.previous_active_users > 0 THEN CAST(p.retained_users AS DOUBLE) / p.previous_active_users END
FROM periods p
WHERE p.period_start >= CAST(? AS DATE)
  AND p.seen_before + p.new_users > 0;

-- @statement seen_before
-- Users first active before from_period, from the summary row of the period before it.
SELECT s.active_users + s.inactive_users AS users
FROM curated.activation_summary s
WHERE s.fact = CAST(? AS VARCHAR)
  AND s.grain = CAST(? AS VARCHAR)
  AND s.period_start = CAST(? AS DATE);

-- @statement seen_before_from_first_last
-- The same count when that row does not exist (first build, or history older than the summary's).
SELECT COUNT(DISTINCT u.user_key) AS users
FROM curated.user_first_last u
WHERE u.fact = CAST(? AS VARCHAR)
  AND u.first_active_date < CAST(? AS DATE);
