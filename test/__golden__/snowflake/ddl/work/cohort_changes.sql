-- Changes to curated.cohort_retention a run computed: +1 / -1 active users per cohort cell and week.
CREATE TABLE IF NOT EXISTS work.cohort_changes (
  cohort_week DATE NOT NULL,
  platform VARCHAR NOT NULL,
  app_version VARCHAR NOT NULL,
  locale VARCHAR NOT NULL,
  weeks_since INTEGER NOT NULL,
  active_delta INTEGER NOT NULL
);
