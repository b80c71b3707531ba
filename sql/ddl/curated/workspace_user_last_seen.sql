-- When each user was active in each workspace (any event, with or without a feature): the base of the
-- workspace-level active-user counts. Key: (workspace_id, user_key). Clustered by last_seen, like
-- user_feature_last_seen: a run's MERGE rewrites the recent micro-partitions.
CREATE TABLE IF NOT EXISTS curated.workspace_user_last_seen (
  workspace_id VARCHAR NOT NULL,
  user_key VARCHAR NOT NULL,
  first_seen DATE NOT NULL,
  last_seen DATE NOT NULL,
  lifetime_events BIGINT NOT NULL
){{ cluster_by('last_seen') }};
