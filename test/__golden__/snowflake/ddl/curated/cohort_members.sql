-- Each user's cohort (the cohort_retention model's own record, read by nothing else): the week of their
-- first event and that event's platform, app version and locale. Outlives the 180-day fact, so a user's
-- cohort stays put when their first events expire. Key: user_key.
CREATE TABLE IF NOT EXISTS curated.cohort_members (
  user_key VARCHAR NOT NULL,
  cohort_week DATE NOT NULL,
  first_event_ts TIMESTAMP_NTZ NOT NULL,
  first_dedup_key VARCHAR NOT NULL,
  platform VARCHAR NOT NULL,
  app_version VARCHAR NOT NULL,
  locale VARCHAR NOT NULL
) CLUSTER BY (user_key);
