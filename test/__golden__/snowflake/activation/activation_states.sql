-- curated.activation_states for one fact and grain (parameters fact, grain and the declaration's filter:
-- event_names, feature_family, feature_required). A run first collects candidate users with the first
-- period that may have changed for them, then deletes and recomputes their rows from that period to the
-- as-of period: from the fact table (activity), curated.user_first_last (first active date, and the last
-- active date before the recomputed range when no earlier row exists) and their latest earlier row
-- (state, streak and last active period carried into the range). That row is looked for from seed_from
-- on only (inactive_horizon + 1 periods before the earliest recomputed one), so the scan stays recent: a
-- user without a row there had no activity there either (active periods always have a row).
--
-- Periods are named by their first day; period_index numbers them (days since 1970-01-01, ISO weeks
-- since Monday 1970-01-05, year * 12 + month), the same numbers lambdas/core/activation/grain.ts gives.
-- periods: a JSON array of { period_start, period_index } from the period before the first recomputed
-- one to the as-of period.

-- @statement clear_candidates
DELETE FROM work.activation_candidates;

-- @statement clear_scope
DELETE FROM work.activation_scope;

-- @statement candidates_inserted
INSERT INTO work.activation_candidates (user_key, from_period)
SELECT DISTINCT
  f.user_key,
  CASE CAST(? AS VARCHAR)
    WHEN 'day' THEN f.event_date
    WHEN 'week' THEN DATEADD(DAY, 1 - DAYOFWEEKISO(f.event_date), f.event_date)
    ELSE CAST(DATE_TRUNC('MONTH', f.event_date) AS DATE)
  END
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
  AND (CAST(? AS VARCHAR) IS NULL OR fact_names.event_name IS NOT NULL)
  AND (CAST(? AS VARCHAR) IS NULL OR fact_family.feature_id IS NOT NULL)
  AND (NOT CAST(? AS BOOLEAN) OR f.feature_id IS NOT NULL);

-- @statement candidates_recomputed
INSERT INTO work.activation_candidates (user_key, from_period)
SELECT DISTINCT
  d.user_key,
  CASE CAST(? AS VARCHAR)
    WHEN 'day' THEN d.event_date
    WHEN 'week' THEN DATEADD(DAY, 1 - DAYOFWEEKISO(d.event_date), d.event_date)
    ELSE CAST(DATE_TRUNC('MONTH', d.event_date) AS DATE)
  END
FROM work.fct_delta d
WHERE d.change <> 'insert'
  AND d.user_key IS NOT NULL;

-- @statement candidates_listed
INSERT INTO work.activation_candidates (user_key, from_period)
SELECT a.user_key, CAST(? AS DATE)
FROM curated.activation_states a
WHERE a.fact = CAST(? AS VARCHAR)
  AND a.grain = CAST(? AS VARCHAR)
  AND a.period_start = CAST(? AS DATE);

-- @statement candidates_new_periods
INSERT INTO work.activation_candidates (user_key, from_period)
SELECT DISTINCT
  f.user_key,
  CASE CAST(? AS VARCHAR)
    WHEN 'day' THEN f.event_date
    WHEN 'week' THEN DATEADD(DAY, 1 - DAYOFWEEKISO(f.event_date), f.event_date)
    ELSE CAST(DATE_TRUNC('MONTH', f.event_date) AS DATE)
  END
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
  AND f.event_date < CAST(? AS DATE)
  AND (CAST(? AS VARCHAR) IS NULL OR fact_names.event_name IS NOT NULL)
  AND (CAST(? AS VARCHAR) IS NULL OR fact_family.feature_id IS NOT NULL)
  AND (NOT CAST(? AS BOOLEAN) OR f.feature_id IS NOT NULL);

-- @statement build_scope
INSERT INTO work.activation_scope (user_key, from_period)
SELECT c.user_key, GREATEST(MIN(c.from_period), CAST(? AS DATE))
FROM work.activation_candidates c
GROUP BY c.user_key
HAVING GREATEST(MIN(c.from_period), CAST(? AS DATE))
  <= CAST(? AS DATE);

-- @statement scope_start
SELECT MIN(s.from_period) AS from_period, COUNT(*) AS users
FROM work.activation_scope s;

-- @statement delete_scope_rows
DELETE FROM curated.activation_states
USING work.activation_scope AS s
WHERE activation_states.fact = CAST(? AS VARCHAR)
  AND activation_states.grain = CAST(? AS VARCHAR)
  AND activation_states.user_key = s.user_key
  AND activation_states.period_start >= s.from_period;

-- @statement insert_scope_rows
INSERT INTO curated.activation_states (
  fact, grain, period_start, user_key, state, previous_state, transition, is_churned, active_streak,
  return_interval, inactive_duration, first_active_period, last_active_period
)
WITH spine AS (
  SELECT
    CAST(p.value:period_start::VARCHAR AS DATE) AS period_start,
    CAST(p.value:period_index::VARCHAR AS INTEGER) AS period_index
  FROM TABLE(FLATTEN(INPUT => PARSE_JSON(?))) AS p
),
users AS (
  SELECT s.user_key, s.from_period, sp.period_index AS from_index
  FROM work.activation_scope s
  JOIN spine sp ON sp.period_start = s.from_period
),
firsts AS (
  SELECT u.user_key, MIN(u.first_active_date) AS first_active_date
  FROM curated.user_first_last u
  JOIN users ON users.user_key = u.user_key
  WHERE u.fact = CAST(? AS VARCHAR)
  GROUP BY u.user_key
),
earlier_days AS (
  SELECT u.user_key, u.last_active_date
  FROM curated.user_first_last u
  JOIN users ON users.user_key = u.user_key
  WHERE u.fact = CAST(? AS VARCHAR)
    AND u.last_active_date < users.from_period
  UNION ALL
  -- A month snapshot only keeps the month's last active day: days of from_period's own month before it
  -- come from the fact table (only where month snapshots are, before daily_from).
  SELECT f.user_key, f.event_date
  FROM curated.fct_feature_events f
  JOIN users ON users.user_key = f.user_key
  LEFT JOIN (
    SELECT DISTINCT n.value:name::VARCHAR AS event_name
    FROM TABLE(FLATTEN(INPUT => PARSE_JSON(?))) AS n
  ) AS fact_names ON fact_names.event_name = f.event_name
  LEFT JOIN curated.feature_closure fact_family
    ON fact_family.feature_id = f.feature_id
    AND fact_family.ancestor_id = CAST(? AS VARCHAR)
  WHERE f.event_date >= CAST(? AS DATE)
    AND f.event_date < CAST(? AS DATE)
    AND f.event_date >= CAST(DATE_TRUNC('MONTH', users.from_period) AS DATE)
    AND f.event_date < users.from_period
    AND (CAST(? AS VARCHAR) IS NULL OR fact_names.event_name IS NOT NULL)
    AND (CAST(? AS VARCHAR) IS NULL OR fact_family.feature_id IS NOT NULL)
    AND (NOT CAST(? AS BOOLEAN) OR f.feature_id IS NOT NULL)
),
earlier AS (
  SELECT e.user_key, MAX(e.last_active_date) AS last_active_date
  FROM earlier_days e
  GROUP BY e.user_key
),
seeds AS (
  SELECT a.user_key, a.period_start, a.state, a.active_streak, a.last_active_period
  FROM curated.activation_states a
  JOIN users ON users.user_key = a.user_key
  WHERE a.fact = CAST(? AS VARCHAR)
    AND a.grain = CAST(? AS VARCHAR)
    AND a.period_start >= CAST(? AS DATE)
    AND a.period_start < users.from_period
  QUALIFY ROW_NUMBER() OVER (PARTITION BY a.user_key ORDER BY a.period_start DESC) = 1
),
base AS (
  SELECT
    users.user_key,
    users.from_period,
    users.from_index,
    CASE CAST(? AS VARCHAR)
      WHEN 'day' THEN firsts.first_active_date
      WHEN 'week' THEN DATEADD(DAY, 1 - DAYOFWEEKISO(firsts.first_active_date), firsts.first_active_date)
      ELSE CAST(DATE_TRUNC('MONTH', firsts.first_active_date) AS DATE)
    END AS first_period,
    CASE
      WHEN seeds.user_key IS NULL THEN
        CASE CAST(? AS VARCHAR)
          WHEN 'day' THEN earlier.last_active_date
          WHEN 'week' THEN DATEADD(DAY, 1 - DAYOFWEEKISO(earlier.last_active_date), earlier.last_active_date)
          ELSE CAST(DATE_TRUNC('MONTH', earlier.last_active_date) AS DATE)
        END
      WHEN seeds.state = 'Inactive' THEN seeds.last_active_period
      ELSE seeds.period_start
    END AS seed_last_period,
    CASE CAST(? AS VARCHAR)
      WHEN 'day' THEN seeds.period_start - DATE '1970-01-01'
      WHEN 'week' THEN CAST((seeds.period_start - DATE '1970-01-05') / 7 AS INTEGER)
      ELSE YEAR(seeds.period_start) * 12 + MONTH(seeds.period_start)
    END AS seed_index,
    seeds.state AS seed_state,
    seeds.active_streak AS seed_streak
  FROM users
  JOIN firsts ON firsts.user_key = users.user_key
  LEFT JOIN seeds ON seeds.user_key = users.user_key
  LEFT JOIN earlier ON earlier.user_key = users.user_key
),
activity AS (
  SELECT DISTINCT
    f.user_key,
    CASE CAST(? AS VARCHAR)
      WHEN 'day' THEN f.event_date
      WHEN 'week' THEN DATEADD(DAY, 1 - DAYOFWEEKISO(f.event_date), f.event_date)
      ELSE CAST(DATE_TRUNC('MONTH', f.event_date) AS DATE)
    END AS period_start
  FROM curated.fct_feature_events f
  JOIN users ON users.user_key = f.user_key
  LEFT JOIN (
    SELECT DISTINCT n.value:name::VARCHAR AS event_name
    FROM TABLE(FLATTEN(INPUT => PARSE_JSON(?))) AS n
  ) AS fact_names ON fact_names.event_name = f.event_name
  LEFT JOIN curated.feature_closure fact_family
    ON fact_family.feature_id = f.feature_id
    AND fact_family.ancestor_id = CAST(? AS VARCHAR)
  WHERE f.event_date >= CAST(? AS DATE)
    AND f.event_date >= users.from_period
    AND f.event_date < CAST(? AS DATE)
    AND (CAST(? AS VARCHAR) IS NULL OR fact_names.event_name IS NOT NULL)
    AND (CAST(? AS VARCHAR) IS NULL OR fact_family.feature_id IS NOT NULL)
    AND (NOT CAST(? AS BOOLEAN) OR f.feature_id IS NOT NULL)
),
grid AS (
  SELECT
    base.*,
    spine.period_start,
    spine.period_index,
    activity.user_key IS NOT NULL AS is_active
  FROM base
  JOIN spine ON spine.period_index >= base.from_index
  LEFT JOIN activity ON activity.user_key = base.user_key AND activity.period_start = spine.period_start
),
walked AS (
  SELECT
    grid.*,
    MAX(CASE WHEN grid.is_active THEN grid.period_start END) OVER (
      PARTITION BY grid.user_key ORDER BY grid.period_index ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
    ) AS active_through,
    MAX(CASE WHEN grid.is_active THEN NULL ELSE grid.period_index END) OVER (
      PARTITION BY grid.user_key ORDER BY grid.period_index ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
    ) AS gap_through
  FROM grid
),
lagged AS (
  SELECT
    walked.*,
    COALESCE(
      LAG(walked.active_through) OVER (PARTITION BY walked.user_key ORDER BY walked.period_index),
      walked.seed_last_period
    ) AS last_period
  FROM walked
),
indexed AS (
  SELECT
    lagged.*,
    CASE CAST(? AS VARCHAR)
      WHEN 'day' THEN lagged.last_period - DATE '1970-01-01'
      WHEN 'week' THEN CAST((lagged.last_period - DATE '1970-01-05') / 7 AS INTEGER)
      ELSE YEAR(lagged.last_period) * 12 + MONTH(lagged.last_period)
    END AS last_index
  FROM lagged
),
stated AS (
  SELECT
    indexed.*,
    CASE
      WHEN indexed.is_active AND indexed.first_period = indexed.period_start THEN 'New'
      WHEN indexed.is_active AND indexed.last_index = indexed.period_index - 1 THEN 'Retained'
      WHEN indexed.is_active THEN 'Reactivated'
      WHEN indexed.first_period < indexed.period_start THEN 'Inactive'
    END AS state,
    CASE
      WHEN NOT indexed.is_active THEN 0
      WHEN indexed.gap_through IS NOT NULL THEN indexed.period_index - indexed.gap_through
      WHEN indexed.seed_index = indexed.from_index - 1 AND indexed.seed_state <> 'Inactive'
        THEN indexed.period_index - indexed.from_index + 1 + indexed.seed_streak
      ELSE indexed.period_index - indexed.from_index + 1
    END AS active_streak
  FROM indexed
),
chained AS (
  SELECT
    stated.*,
    CASE
      WHEN stated.period_index > stated.from_index
        THEN LAG(stated.state) OVER (PARTITION BY stated.user_key ORDER BY stated.period_index)
      WHEN stated.seed_index = stated.from_index - 1 THEN stated.seed_state
      WHEN stated.first_period < stated.from_period THEN 'Inactive'
    END AS previous_state
  FROM stated
)
SELECT
  CAST(? AS VARCHAR),
  CAST(? AS VARCHAR),
  c.period_start,
  c.user_key,
  c.state,
  c.previous_state,
  COALESCE(c.previous_state, 'None') || ' -> ' || c.state,
  c.state = 'Inactive' AND c.last_index = c.period_index - 1,
  c.active_streak,
  CASE WHEN c.state = 'Reactivated' THEN c.period_index - c.last_index END,
  CASE WHEN c.state = 'Inactive' THEN c.period_index - c.last_index END,
  c.first_period,
  c.last_period
FROM chained c
WHERE c.state IS NOT NULL
  AND (c.state <> 'Inactive' OR c.period_index - c.last_index <= CAST(? AS INTEGER));

-- @statement delete_from
DELETE FROM curated.activation_states
WHERE fact = CAST(? AS VARCHAR)
  AND grain = CAST(? AS VARCHAR)
  AND period_start >= CAST(? AS DATE);

-- @statement delete_before
DELETE FROM curated.activation_states
WHERE fact = CAST(? AS VARCHAR)
  AND grain = CAST(? AS VARCHAR)
  AND period_start < CAST(? AS DATE);
