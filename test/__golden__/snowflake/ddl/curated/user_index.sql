-- Where each user's rows are: one row per user, linked anonymous id, workspace and month of activity
-- (by event date), with the first and last event day, receipt and load time of their raw rows that month.
-- Kept by the transform from every raw row it reads (duplicates, suppressed and too-old rows included),
-- so an erasure reads the days and loads of its subject only instead of searching every table, and a
-- user whose events were replaced is recomputed from their own days. Ids are kept as SHA-1 hashes, as
-- ops.erased_users keeps them ('' where the row has none): the index names no one in clear, so the late
-- event of an erased user it points to until the sweep is the only trace of them. Its size follows
-- users x months active, not events. user_key_hash is the hash of user_id, or of 'anon:' || anonymous_id.
-- Key: (user_key_hash, user_id_hash, anonymous_id_hash, workspace_key, month_start).
CREATE TABLE IF NOT EXISTS curated.user_index (
  user_key_hash VARCHAR NOT NULL,
  user_id_hash VARCHAR NOT NULL,
  anonymous_id_hash VARCHAR NOT NULL,
  workspace_key VARCHAR NOT NULL,
  month_start DATE NOT NULL,
  first_event_date DATE NOT NULL,
  last_event_date DATE NOT NULL,
  first_received_at TIMESTAMP_NTZ NOT NULL,
  last_received_at TIMESTAMP_NTZ NOT NULL,
  first_loaded_at TIMESTAMP_NTZ NOT NULL,
  last_loaded_at TIMESTAMP_NTZ NOT NULL
) CLUSTER BY (user_key_hash);
