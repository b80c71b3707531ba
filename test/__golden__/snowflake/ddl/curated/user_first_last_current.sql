-- Each user's first and last active date per activation fact, as of the last run: their latest
-- curated.user_first_last snapshot, one row per user (the size of the user base, not of the history).
-- The activation models read it for users with no recent row (new, or back after a long gap) instead of
-- searching the snapshots. Key: (fact, user_key).
CREATE TABLE IF NOT EXISTS curated.user_first_last_current (
  fact VARCHAR NOT NULL,
  user_key VARCHAR NOT NULL,
  first_active_date DATE NOT NULL,
  last_active_date DATE NOT NULL
) CLUSTER BY (fact, user_key);
