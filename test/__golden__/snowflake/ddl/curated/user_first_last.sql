-- The FirstLast model: each user's first and last active date per activation fact, kept as dated
-- snapshots. A user's snapshot on date D is their row with the latest snapshot_date on or before D.
-- Recent history has a row per active day (snapshot_grain 'day'); older history one row per month with
-- activity (snapshot_grain 'month', snapshot_date the month's last day). Rows outlive the 180-day fact,
-- so the lifetime first_active_date survives raw retention. user_key is user_id, or
-- 'anon:' || anonymous_id, across workspaces. Key: (fact, user_key, snapshot_date).
CREATE TABLE IF NOT EXISTS curated.user_first_last (
  fact VARCHAR NOT NULL,
  user_key VARCHAR NOT NULL,
  snapshot_date DATE NOT NULL,
  snapshot_grain VARCHAR NOT NULL,
  first_active_date DATE NOT NULL,
  last_active_date DATE NOT NULL,
  period_first_active_date DATE NOT NULL,
  active_days INTEGER NOT NULL
) CLUSTER BY (fact, snapshot_date);
