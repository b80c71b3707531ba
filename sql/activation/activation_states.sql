-- curated.activation_states for one fact and grain (parameters fact, grain and the declaration's filter:
-- event_names, feature_family, feature_required, applied by the fact_filter fragment). A run first
-- collects candidate users with the first period that may have changed for them, then deletes and
-- recomputes their rows from that period to the as-of period, from:
--   activity: the fact's day snapshots in curated.user_first_last (from daily_from on, where every active
--     day has a row), and the fact table for any earlier recomputed day;
--   the seed: their row of the period just before (state, streak, last active period carried in);
--   their earliest row from that period on, read before it is deleted (its last active period is the one
--     before the recomputed range when no seed exists);
--   (both from work.activation_rows, where save_prior copies the scoped users' stored rows from the seed
--   period on, once: the summary's delta reads the same copy);
--   their previous span (curated.user_first_last_current, saved after these models run): the first and
--     last active dates before this run, for users with neither (new, or back after a long gap).
-- Every read is bounded by the recomputed periods (scope_from on) or is of the user base's size (spans).
--
-- Periods are named by their first day; period_index numbers them (the period_start and period_index
-- fragments give the same numbers as lambdas/core/activation/grain.ts). periods: a JSON array of
-- { period_start, period_index } from the period before the first recomputed one to the as-of period.
-- The rows derived again go to work.activation_rows (side 'next'), counted into the summary's delta, then
-- copied here by publish_rows.

-- @statement clear_candidates
DELETE FROM work.activation_candidates;

-- @statement clear_scope
DELETE FROM work.activation_scope;

-- @statement candidates_inserted
INSERT INTO work.activation_candidates (user_key, from_period)
SELECT DISTINCT f.user_key, {{ period_start(param('grain'), 'f.event_date') }}
FROM work.fct_batch f
WHERE f.action = 'insert'
  AND f.user_key IS NOT NULL
  AND {{ fact_filter('f') }};

-- @statement candidates_recomputed
INSERT INTO work.activation_candidates (user_key, from_period)
SELECT DISTINCT d.user_key, {{ period_start(param('grain'), 'd.event_date') }}
FROM work.fct_delta d
WHERE d.change <> 'insert'
  AND d.user_key IS NOT NULL;

-- @statement candidates_listed
INSERT INTO work.activation_candidates (user_key, from_period)
SELECT a.user_key, CAST({{ param('next_period') }} AS DATE)
FROM curated.activation_states a
WHERE a.fact = CAST({{ param('fact') }} AS VARCHAR)
  AND a.grain = CAST({{ param('grain') }} AS VARCHAR)
  AND a.period_start = CAST({{ param('last_period') }} AS DATE);

-- @statement candidates_new_periods
-- Users active in the periods begun since the last run: from their day snapshots, and from the fact for
-- days before daily_from (runs further apart than the daily window).
INSERT INTO work.activation_candidates (user_key, from_period)
SELECT DISTINCT u.user_key, {{ period_start(param('grain'), 'u.snapshot_date') }}
FROM curated.user_first_last u
WHERE u.fact = CAST({{ param('fact') }} AS VARCHAR)
  AND u.snapshot_grain = 'day'
  AND u.snapshot_date >= CAST({{ param('next_period') }} AS DATE)
  AND u.snapshot_date >= CAST({{ param('daily_from') }} AS DATE)
  AND u.snapshot_date < CAST({{ param('period_end') }} AS DATE)
UNION
SELECT DISTINCT f.user_key, {{ period_start(param('grain'), 'f.event_date') }}
FROM curated.fct_feature_events f
WHERE f.user_key IS NOT NULL
  AND f.event_date >= CAST({{ param('next_period') }} AS DATE)
  AND f.event_date < CAST({{ param('daily_from') }} AS DATE)
  AND f.event_date < CAST({{ param('period_end') }} AS DATE)
  AND {{ fact_filter('f') }};

-- @statement build_scope
INSERT INTO work.activation_scope (user_key, from_period, next_found, next_last_active_period)
SELECT c.user_key, GREATEST(MIN(c.from_period), CAST({{ param('floor_period') }} AS DATE)), FALSE, CAST(NULL AS DATE)
FROM work.activation_candidates c
GROUP BY c.user_key
HAVING GREATEST(MIN(c.from_period), CAST({{ param('floor_period') }} AS DATE))
  <= CAST({{ param('current_period') }} AS DATE);

-- @statement scope_start
SELECT MIN(s.from_period) AS from_period, COUNT(*) AS users
FROM work.activation_scope s;

-- @statement save_prior
-- The scoped users' stored rows from the first seed period (seed_from) on, before delete_scope_rows.
INSERT INTO work.activation_rows
SELECT 'prior', a.*
FROM curated.activation_states a
JOIN work.activation_scope s ON s.user_key = a.user_key
WHERE a.fact = CAST({{ param('fact') }} AS VARCHAR)
  AND a.grain = CAST({{ param('grain') }} AS VARCHAR)
  AND a.period_start >= CAST({{ param('seed_from') }} AS DATE);

-- @statement scope_next
-- Each scoped user's earliest stored row from their first recomputed period on.
UPDATE work.activation_scope
SET next_found = TRUE, next_last_active_period = n.last_active_period
FROM (
  SELECT a.user_key, a.last_active_period
  FROM work.activation_rows a
  JOIN work.activation_scope s ON s.user_key = a.user_key
  WHERE a.side = 'prior'
    AND a.period_start >= s.from_period
  QUALIFY ROW_NUMBER() OVER (PARTITION BY a.user_key ORDER BY a.period_start) = 1
) AS n
WHERE activation_scope.user_key = n.user_key;

-- @statement delete_scope_rows
DELETE FROM curated.activation_states
USING work.activation_scope AS s
WHERE activation_states.fact = CAST({{ param('fact') }} AS VARCHAR)
  AND activation_states.grain = CAST({{ param('grain') }} AS VARCHAR)
  AND activation_states.period_start >= CAST({{ param('scope_from') }} AS DATE)
  AND activation_states.user_key = s.user_key
  AND activation_states.period_start >= s.from_period;

-- @statement insert_scope_rows
INSERT INTO work.activation_rows (
  side, fact, grain, period_start, user_key, state, previous_state, transition, is_churned, active_streak,
  return_interval, inactive_duration, first_active_period, last_active_period
)
WITH spine AS (
  {{ spine_periods }}
),
users AS (
  SELECT s.user_key, s.from_period, sp.period_index AS from_index, s.next_found, s.next_last_active_period
  FROM work.activation_scope s
  JOIN spine sp ON sp.period_start = s.from_period
),
spans AS (
  SELECT
    c.user_key,
    {{ period_start(param('grain'), 'c.first_active_date') }} AS first_period,
    {{ period_start(param('grain'), 'c.last_active_date') }} AS last_period
  FROM curated.user_first_last_current c
  JOIN users ON users.user_key = c.user_key
  WHERE c.fact = CAST({{ param('fact') }} AS VARCHAR)
),
seeds AS (
  SELECT a.user_key, a.period_start, a.state, a.active_streak, a.last_active_period, a.first_active_period
  FROM work.activation_rows a
  JOIN users ON users.user_key = a.user_key
  JOIN spine sp ON sp.period_index = users.from_index - 1 AND sp.period_start = a.period_start
  WHERE a.side = 'prior'
),
activity AS (
  SELECT DISTINCT u.user_key, {{ period_start(param('grain'), 'u.snapshot_date') }} AS period_start
  FROM curated.user_first_last u
  JOIN users ON users.user_key = u.user_key
  WHERE u.fact = CAST({{ param('fact') }} AS VARCHAR)
    AND u.snapshot_grain = 'day'
    AND u.snapshot_date >= CAST({{ param('scope_from') }} AS DATE)
    AND u.snapshot_date >= CAST({{ param('daily_from') }} AS DATE)
    AND u.snapshot_date >= users.from_period
    AND u.snapshot_date < CAST({{ param('period_end') }} AS DATE)
  UNION
  SELECT DISTINCT f.user_key, {{ period_start(param('grain'), 'f.event_date') }} AS period_start
  FROM curated.fct_feature_events f
  JOIN users ON users.user_key = f.user_key
  WHERE f.event_date >= CAST({{ param('scope_from') }} AS DATE)
    AND f.event_date < CAST({{ param('daily_from') }} AS DATE)
    AND f.event_date >= users.from_period
    AND f.event_date < CAST({{ param('period_end') }} AS DATE)
    AND {{ fact_filter('f') }}
),
firsts AS (
  SELECT a.user_key, MIN(a.period_start) AS first_period
  FROM activity a
  GROUP BY a.user_key
),
base AS (
  SELECT
    users.user_key,
    users.from_period,
    users.from_index,
    CASE WHEN spans.first_period < users.from_period THEN spans.first_period ELSE firsts.first_period END
      AS first_period,
    CASE
      WHEN seeds.user_key IS NOT NULL AND seeds.state = 'Inactive' THEN seeds.last_active_period
      WHEN seeds.user_key IS NOT NULL THEN seeds.period_start
      WHEN users.next_found THEN users.next_last_active_period
      WHEN spans.last_period < users.from_period THEN spans.last_period
    END AS seed_last_period,
    {{ period_index(param('grain'), 'seeds.period_start') }} AS seed_index,
    seeds.state AS seed_state,
    seeds.active_streak AS seed_streak
  FROM users
  LEFT JOIN spans ON spans.user_key = users.user_key
  LEFT JOIN firsts ON firsts.user_key = users.user_key
  LEFT JOIN seeds ON seeds.user_key = users.user_key
  WHERE spans.first_period < users.from_period OR firsts.first_period IS NOT NULL
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
    {{ period_index(param('grain'), 'lagged.last_period') }} AS last_index
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
  'next',
  CAST({{ param('fact') }} AS VARCHAR),
  CAST({{ param('grain') }} AS VARCHAR),
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
  AND (c.state <> 'Inactive' OR c.period_index - c.last_index <= CAST({{ param('inactive_horizon') }} AS INTEGER));

-- @statement publish_rows
INSERT INTO curated.activation_states
SELECT * EXCLUDE (side)
FROM work.activation_rows
WHERE side = 'next';

-- @statement clear_rows
DELETE FROM work.activation_rows;
