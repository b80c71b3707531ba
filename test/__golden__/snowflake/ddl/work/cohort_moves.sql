-- Users whose cohort a run may change: new users, and members with a touched week on or before their
-- cohort week. old_*: their cohort before the run (NULL for a new user); new_*: after it (NULL when they
-- have no event left); changed: the user left, joined or changed cohort cell.
CREATE TABLE IF NOT EXISTS work.cohort_moves (
  user_key VARCHAR NOT NULL,
  old_cohort_week DATE,
  old_platform VARCHAR,
  old_app_version VARCHAR,
  old_locale VARCHAR,
  old_first_event_ts TIMESTAMP_NTZ,
  old_first_dedup_key VARCHAR,
  lost_first_week BOOLEAN NOT NULL,
  new_cohort_week DATE,
  new_first_event_ts TIMESTAMP_NTZ,
  new_first_dedup_key VARCHAR,
  new_platform VARCHAR,
  new_app_version VARCHAR,
  new_locale VARCHAR,
  changed BOOLEAN NOT NULL
);
