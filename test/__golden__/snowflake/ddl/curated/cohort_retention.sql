-- Weekly cohort retention. A user's cohort is the ISO week of their first event (any event) and the
-- platform, app version and locale of that first event (earliest event_ts, then dedup_key); weeks_since
-- counts ISO weeks from the cohort week (0 = the cohort week). active_users: members of the cohort cell
-- with an event in that week; cohort_users: the cell's members (= active_users at weeks_since 0);
-- retained_share = active_users / cohort_users. A week without an active member has no row (share 0).
-- platform is the fact's platform_key; app_version and locale '(none)' when the first event had none.
-- Key: (cohort_week, platform, app_version, locale, weeks_since). Kept 3 years (by cohort_week).
CREATE TABLE IF NOT EXISTS curated.cohort_retention (
  cohort_week DATE NOT NULL,
  platform VARCHAR NOT NULL,
  app_version VARCHAR NOT NULL,
  locale VARCHAR NOT NULL,
  weeks_since INTEGER NOT NULL,
  week_start DATE NOT NULL,
  cohort_users BIGINT NOT NULL,
  active_users BIGINT NOT NULL,
  retained_share DOUBLE NOT NULL
) CLUSTER BY (cohort_week);
