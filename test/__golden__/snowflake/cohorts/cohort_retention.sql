-- The cohort_retention model (curated.cohort_retention), incremental on the keys a run touched: the
-- (user, week) pairs of work.fct_delta. A pair is new activity when the user had no event that week before
-- the run (curated.cohort_user_weeks says, without reading the fact), lost activity when a replaced copy, a
-- backfill or an erasure left the week without an event (the fact says, read for those pairs only,
-- pruned by event_date). Users whose cohort may change (new users; members with a touched week on or
-- before their cohort week) have their cohort recomputed: the earliest week they are active in, and the
-- platform, app version and locale of their earliest event that week (the fact, pruned to that week).
-- Every change becomes +1 / -1 active user of a (cohort cell, weeks since) in work.cohort_changes, which
-- is added to the table; then the touched cells' sizes and shares are refreshed. The run reads the fact
-- only in the weeks it touched.

-- @statement clear_pairs
DELETE FROM work.cohort_pairs;

-- @statement clear_moves
DELETE FROM work.cohort_moves;

-- @statement clear_changes
DELETE FROM work.cohort_changes;

-- @statement stage_pairs
INSERT INTO work.cohort_pairs (user_key, week_start, insert_only, was_active, is_active)
SELECT d.user_key, d.week_start, MIN(CASE WHEN d.change = 'insert' THEN 1 ELSE 0 END) = 1, FALSE, FALSE
FROM work.fct_delta d
WHERE d.user_key IS NOT NULL
GROUP BY d.user_key, d.week_start;

-- @statement mark_was_active
UPDATE work.cohort_pairs
SET was_active = TRUE
FROM curated.cohort_user_weeks w
WHERE w.user_key = cohort_pairs.user_key
  AND w.week_start = cohort_pairs.week_start
  AND w.week_start >= (SELECT MIN(p.week_start) FROM work.cohort_pairs p);

-- @statement mark_inserts_active
UPDATE work.cohort_pairs SET is_active = TRUE WHERE insert_only;

-- @statement mark_present
-- Pairs touched by anything but a plain insert: active when the fact still has an event of the user that week.
UPDATE work.cohort_pairs
SET is_active = TRUE
FROM (
  SELECT DISTINCT f.user_key, f.week_start
  FROM curated.fct_feature_events f
  JOIN work.cohort_pairs p ON p.user_key = f.user_key AND p.week_start = f.week_start AND NOT p.insert_only
  WHERE f.event_date >= (SELECT MIN(q.week_start) FROM work.cohort_pairs q WHERE NOT q.insert_only)
    AND f.event_date <= (SELECT DATEADD(DAY, 6, MAX(q.week_start)) FROM work.cohort_pairs q WHERE NOT q.insert_only)
) AS present
WHERE present.user_key = cohort_pairs.user_key AND present.week_start = cohort_pairs.week_start;

-- @statement stage_moves
INSERT INTO work.cohort_moves (
  user_key, old_cohort_week, old_platform, old_app_version, old_locale, old_first_event_ts, old_first_dedup_key,
  lost_first_week, changed
)
SELECT
  p.user_key,
  MAX(m.cohort_week),
  MAX(m.platform),
  MAX(m.app_version),
  MAX(m.locale),
  MAX(m.first_event_ts),
  MAX(m.first_dedup_key),
  MAX(CASE WHEN p.week_start = m.cohort_week AND p.was_active AND NOT p.is_active THEN 1 ELSE 0 END) = 1,
  FALSE
FROM work.cohort_pairs p
LEFT JOIN curated.cohort_members m ON m.user_key = p.user_key
WHERE (m.user_key IS NULL AND p.is_active)
  OR (m.user_key IS NOT NULL AND p.week_start <= m.cohort_week AND (p.is_active OR p.was_active))
GROUP BY p.user_key;

-- @statement first_week_kept
-- New users, and members who kept their cohort week: the earlier of it and their first active touched week.
UPDATE work.cohort_moves
SET new_cohort_week = CASE
  WHEN cohort_moves.old_cohort_week IS NULL OR x.first_week < cohort_moves.old_cohort_week THEN x.first_week
  ELSE cohort_moves.old_cohort_week
END
FROM (
  SELECT p.user_key, MIN(p.week_start) AS first_week
  FROM work.cohort_pairs p
  WHERE p.is_active
  GROUP BY p.user_key
) AS x
WHERE x.user_key = cohort_moves.user_key AND NOT cohort_moves.lost_first_week;

-- @statement first_week_lost
-- Members whose cohort week lost its last event: their earliest week left (NULL when none is).
UPDATE work.cohort_moves
SET new_cohort_week = x.first_week
FROM (
  SELECT k.user_key, MIN(k.week_start) AS first_week
  FROM (
    SELECT w.user_key, w.week_start
    FROM curated.cohort_user_weeks w
    JOIN work.cohort_moves mv ON mv.user_key = w.user_key AND mv.lost_first_week
    WHERE NOT EXISTS (
      SELECT 1 FROM work.cohort_pairs p
      WHERE p.user_key = w.user_key AND p.week_start = w.week_start AND NOT p.is_active
    )
    UNION ALL
    SELECT p.user_key, p.week_start
    FROM work.cohort_pairs p
    JOIN work.cohort_moves mv ON mv.user_key = p.user_key AND mv.lost_first_week
    WHERE p.is_active
  ) AS k
  GROUP BY k.user_key
) AS x
WHERE x.user_key = cohort_moves.user_key AND cohort_moves.lost_first_week;

-- @statement first_events
-- The earliest event of each moving user in their new cohort week (earliest event_ts, then dedup_key).
UPDATE work.cohort_moves
SET new_first_event_ts = e.event_ts,
  new_first_dedup_key = e.dedup_key,
  new_platform = e.platform_key,
  new_app_version = COALESCE(e.app_version, '(none)'),
  new_locale = COALESCE(e.locale, '(none)')
FROM (
  SELECT f.user_key, f.event_ts, f.dedup_key, f.platform_key, f.app_version, f.locale
  FROM curated.fct_feature_events f
  JOIN work.cohort_moves mv ON mv.user_key = f.user_key AND mv.new_cohort_week = f.week_start
  WHERE f.event_date >= (SELECT MIN(x.new_cohort_week) FROM work.cohort_moves x)
    AND f.event_date <= (SELECT DATEADD(DAY, 6, MAX(x.new_cohort_week)) FROM work.cohort_moves x)
  QUALIFY ROW_NUMBER() OVER (PARTITION BY f.user_key ORDER BY f.event_ts, f.dedup_key) = 1
) AS e
WHERE e.user_key = cohort_moves.user_key;

-- @statement keep_expired_first_events
-- A cohort week the fact no longer holds (past its retention) keeps the member's recorded first event.
UPDATE work.cohort_moves
SET new_first_event_ts = old_first_event_ts,
  new_first_dedup_key = old_first_dedup_key,
  new_platform = old_platform,
  new_app_version = old_app_version,
  new_locale = old_locale
WHERE new_cohort_week = old_cohort_week AND new_first_dedup_key IS NULL;

-- @statement mark_changed
UPDATE work.cohort_moves
SET changed = NOT (
  old_cohort_week IS NOT DISTINCT FROM new_cohort_week
  AND old_platform IS NOT DISTINCT FROM new_platform
  AND old_app_version IS NOT DISTINCT FROM new_app_version
  AND old_locale IS NOT DISTINCT FROM new_locale
);

-- @statement move_counts
SELECT
  COUNT(CASE WHEN mv.lost_first_week THEN 1 END) AS lost_first_week,
  COUNT(CASE WHEN mv.changed AND mv.old_cohort_week IS NOT NULL THEN 1 END) AS members_moved
FROM work.cohort_moves mv;

-- @statement lost_first_week_count
SELECT COUNT(*) AS n FROM work.cohort_moves mv WHERE mv.lost_first_week;

-- @statement changes_kept_members
-- Members who stay in their cell: +1 / -1 for each week they became active or inactive in.
INSERT INTO work.cohort_changes (cohort_week, platform, app_version, locale, weeks_since, active_delta)
SELECT
  m.cohort_week, m.platform, m.app_version, m.locale,
  CAST((p.week_start - m.cohort_week) / 7 AS INTEGER),
  CASE WHEN p.is_active THEN 1 ELSE -1 END
FROM work.cohort_pairs p
JOIN curated.cohort_members m ON m.user_key = p.user_key
WHERE p.is_active <> p.was_active
  AND NOT EXISTS (SELECT 1 FROM work.cohort_moves mv WHERE mv.user_key = p.user_key AND mv.changed);

-- @statement changes_new_users
-- New users: +1 in their cell for each week they are active in (all of them touched by this run).
INSERT INTO work.cohort_changes (cohort_week, platform, app_version, locale, weeks_since, active_delta)
SELECT
  mv.new_cohort_week, mv.new_platform, mv.new_app_version, mv.new_locale,
  CAST((p.week_start - mv.new_cohort_week) / 7 AS INTEGER),
  1
FROM work.cohort_moves mv
JOIN work.cohort_pairs p ON p.user_key = mv.user_key AND p.is_active
WHERE mv.old_cohort_week IS NULL AND mv.new_cohort_week IS NOT NULL;

-- @statement changes_moved_out
-- Members who leave their cell: -1 there for each week they were active in.
INSERT INTO work.cohort_changes (cohort_week, platform, app_version, locale, weeks_since, active_delta)
SELECT
  mv.old_cohort_week, mv.old_platform, mv.old_app_version, mv.old_locale,
  CAST((w.week_start - mv.old_cohort_week) / 7 AS INTEGER),
  -1
FROM work.cohort_moves mv
JOIN curated.cohort_user_weeks w ON w.user_key = mv.user_key
WHERE mv.changed AND mv.old_cohort_week IS NOT NULL;

-- @statement changes_moved_in
-- ... and +1 in their new cell for each week they are active in after the run.
INSERT INTO work.cohort_changes (cohort_week, platform, app_version, locale, weeks_since, active_delta)
SELECT
  mv.new_cohort_week, mv.new_platform, mv.new_app_version, mv.new_locale,
  CAST((k.week_start - mv.new_cohort_week) / 7 AS INTEGER),
  1
FROM work.cohort_moves mv
JOIN (
  SELECT w.user_key, w.week_start
  FROM curated.cohort_user_weeks w
  JOIN work.cohort_moves x ON x.user_key = w.user_key AND x.changed AND x.old_cohort_week IS NOT NULL
  WHERE NOT EXISTS (
    SELECT 1 FROM work.cohort_pairs p
    WHERE p.user_key = w.user_key AND p.week_start = w.week_start AND NOT p.is_active
  )
  UNION
  SELECT p.user_key, p.week_start
  FROM work.cohort_pairs p
  WHERE p.is_active
) AS k ON k.user_key = mv.user_key
WHERE mv.changed AND mv.old_cohort_week IS NOT NULL AND mv.new_cohort_week IS NOT NULL;

-- @statement merge_changes
MERGE INTO curated.cohort_retention AS t
USING (
  SELECT
    c.cohort_week, c.platform, c.app_version, c.locale, c.weeks_since,
    DATEADD(DAY, c.weeks_since * 7, c.cohort_week) AS week_start,
    SUM(c.active_delta) AS active_delta
  FROM work.cohort_changes c
  WHERE c.cohort_week >= CAST(? AS DATE)
  GROUP BY c.cohort_week, c.platform, c.app_version, c.locale, c.weeks_since
  HAVING SUM(c.active_delta) <> 0
) AS s
ON t.cohort_week = s.cohort_week AND t.platform = s.platform AND t.app_version = s.app_version
  AND t.locale = s.locale AND t.weeks_since = s.weeks_since
WHEN MATCHED THEN UPDATE SET active_users = t.active_users + s.active_delta
WHEN NOT MATCHED THEN INSERT (
  cohort_week, platform, app_version, locale, weeks_since, week_start, cohort_users, active_users, retained_share
) VALUES (s.cohort_week, s.platform, s.app_version, s.locale, s.weeks_since, s.week_start, 0, s.active_delta, 0);

-- @statement refresh_cells
-- A touched cell's size is its active users in the cohort week (every member is active then).
UPDATE curated.cohort_retention
SET cohort_users = z.cohort_users,
  retained_share = CAST(cohort_retention.active_users AS DOUBLE) / z.cohort_users
FROM (
  SELECT r.cohort_week, r.platform, r.app_version, r.locale, r.active_users AS cohort_users
  FROM curated.cohort_retention r
  JOIN (
    SELECT DISTINCT c.cohort_week, c.platform, c.app_version, c.locale FROM work.cohort_changes c
  ) AS k ON k.cohort_week = r.cohort_week AND k.platform = r.platform AND k.app_version = r.app_version
    AND k.locale = r.locale
  WHERE r.weeks_since = 0 AND r.active_users > 0
) AS z
WHERE cohort_retention.cohort_week = z.cohort_week AND cohort_retention.platform = z.platform
  AND cohort_retention.app_version = z.app_version AND cohort_retention.locale = z.locale;

-- @statement drop_empty
DELETE FROM curated.cohort_retention
USING (
  SELECT DISTINCT c.cohort_week, c.platform, c.app_version, c.locale FROM work.cohort_changes c
) AS k
WHERE cohort_retention.cohort_week = k.cohort_week AND cohort_retention.platform = k.platform
  AND cohort_retention.app_version = k.app_version AND cohort_retention.locale = k.locale
  AND cohort_retention.active_users <= 0;

-- @statement apply_weeks_lost
DELETE FROM curated.cohort_user_weeks
USING work.cohort_pairs AS p
WHERE cohort_user_weeks.user_key = p.user_key AND cohort_user_weeks.week_start = p.week_start
  AND p.was_active AND NOT p.is_active;

-- @statement apply_weeks_gained
INSERT INTO curated.cohort_user_weeks (user_key, week_start)
SELECT p.user_key, p.week_start FROM work.cohort_pairs p WHERE p.is_active AND NOT p.was_active;

-- @statement apply_members_left
DELETE FROM curated.cohort_members
USING work.cohort_moves AS mv
WHERE cohort_members.user_key = mv.user_key AND mv.new_cohort_week IS NULL;

-- @statement apply_members_joined
MERGE INTO curated.cohort_members AS t
USING (
  SELECT mv.user_key, mv.new_cohort_week, mv.new_first_event_ts, mv.new_first_dedup_key, mv.new_platform,
    mv.new_app_version, mv.new_locale
  FROM work.cohort_moves mv
  WHERE mv.new_cohort_week IS NOT NULL
) AS s
ON t.user_key = s.user_key
WHEN MATCHED THEN UPDATE SET
  cohort_week = s.new_cohort_week,
  first_event_ts = s.new_first_event_ts,
  first_dedup_key = s.new_first_dedup_key,
  platform = s.new_platform,
  app_version = s.new_app_version,
  locale = s.new_locale
WHEN NOT MATCHED THEN INSERT (user_key, cohort_week, first_event_ts, first_dedup_key, platform, app_version, locale)
  VALUES (s.user_key, s.new_cohort_week, s.new_first_event_ts, s.new_first_dedup_key, s.new_platform,
    s.new_app_version, s.new_locale);

-- @statement retention_rows
DELETE FROM curated.cohort_retention WHERE cohort_week < CAST(? AS DATE);

-- @statement retention_weeks
DELETE FROM curated.cohort_user_weeks WHERE week_start < CAST(? AS DATE);

-- @statement recount_delete
-- After an erasure (which deletes the subject's member and week rows itself): every cell counted again
-- from the members and their weeks, not from the fact.
DELETE FROM curated.cohort_retention;

-- @statement recount_insert
INSERT INTO curated.cohort_retention (
  cohort_week, platform, app_version, locale, weeks_since, week_start, cohort_users, active_users, retained_share
)
SELECT
  a.cohort_week, a.platform, a.app_version, a.locale, a.weeks_since, a.week_start, s.cohort_users,
  a.active_users, CAST(a.active_users AS DOUBLE) / s.cohort_users
FROM (
  SELECT
    m.cohort_week, m.platform, m.app_version, m.locale,
    CAST((w.week_start - m.cohort_week) / 7 AS INTEGER) AS weeks_since,
    w.week_start,
    COUNT(*) AS active_users
  FROM curated.cohort_members m
  JOIN curated.cohort_user_weeks w ON w.user_key = m.user_key
  WHERE m.cohort_week >= CAST(? AS DATE)
  GROUP BY m.cohort_week, m.platform, m.app_version, m.locale, w.week_start
) AS a
JOIN (
  SELECT m.cohort_week, m.platform, m.app_version, m.locale, COUNT(*) AS cohort_users
  FROM curated.cohort_members m
  WHERE m.cohort_week >= CAST(? AS DATE)
  GROUP BY m.cohort_week, m.platform, m.app_version, m.locale
) AS s ON s.cohort_week = a.cohort_week AND s.platform = a.platform AND s.app_version = a.app_version
  AND s.locale = a.locale;

-- @statement delete_members
DELETE FROM curated.cohort_members;

-- @statement delete_weeks
DELETE FROM curated.cohort_user_weeks;

-- @statement delete_rows
DELETE FROM curated.cohort_retention;
