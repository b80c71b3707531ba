-- When each user used each feature (every hierarchy level), per workspace. user_key is user_id, or
-- 'anon:' || anonymous_id for users never identified. Key: (workspace_id, user_key, feature_id). Clustered
-- by last_seen: the rows a run updates are those of recently active users, whose last_seen is recent, so
-- its MERGE rewrites the few recent micro-partitions rather than most of the table.
CREATE TABLE IF NOT EXISTS curated.user_feature_last_seen (
  workspace_id VARCHAR NOT NULL,
  user_key VARCHAR NOT NULL,
  feature_id VARCHAR NOT NULL,
  feature_known BOOLEAN NOT NULL,
  first_seen DATE NOT NULL,
  last_seen DATE NOT NULL,
  lifetime_events BIGINT NOT NULL
) CLUSTER BY (last_seen);
