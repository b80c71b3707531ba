-- The (user, week) pairs a run touched (from work.fct_delta): whether the user was active that week before
-- the run (was_active: in curated.cohort_user_weeks) and is now (is_active: a plain insert, or found in
-- the fact for the other changes).
CREATE TABLE IF NOT EXISTS work.cohort_pairs (
  user_key VARCHAR NOT NULL,
  week_start DATE NOT NULL,
  insert_only BOOLEAN NOT NULL,
  was_active BOOLEAN NOT NULL,
  is_active BOOLEAN NOT NULL
);
