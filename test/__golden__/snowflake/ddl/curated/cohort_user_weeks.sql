-- The ISO weeks in which each cohort member had an event: the cohort_retention model's index, so a run
-- knows whether an event is a member's first of its week without reading the fact. Key:
-- (user_key, week_start). Kept 3 years (by week_start).
CREATE TABLE IF NOT EXISTS curated.cohort_user_weeks (
  user_key VARCHAR NOT NULL,
  week_start DATE NOT NULL
) CLUSTER BY (week_start);
