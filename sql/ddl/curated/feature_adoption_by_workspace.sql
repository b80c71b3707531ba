-- Feature adoption per workspace at every hierarchy level. Windows end at as_of_date, the workspace's
-- latest active day (deterministic: a rerun or rebuild gives the same rows). users_7d / users_28d:
-- distinct users of the feature (subtree) in the 7 / 28 days ending at as_of_date; adoption_rate =
-- users_28d / workspace_active_users_28d. Key: (workspace_id, feature_id).
CREATE TABLE IF NOT EXISTS curated.feature_adoption_by_workspace (
  workspace_id VARCHAR NOT NULL,
  feature_id VARCHAR NOT NULL,
  feature_known BOOLEAN NOT NULL,
  first_used DATE NOT NULL,
  last_used DATE NOT NULL,
  users_7d BIGINT NOT NULL,
  users_28d BIGINT NOT NULL,
  workspace_active_users_28d BIGINT NOT NULL,
  adoption_rate DOUBLE,
  as_of_date DATE NOT NULL
){{ cluster_by('workspace_id') }};
