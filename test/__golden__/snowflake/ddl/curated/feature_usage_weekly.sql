-- Usage per ISO week (week_start = its Monday), workspace, feature and platform, at every level of the feature hierarchy: a parent
-- row counts the events of its whole subtree and its distinct users across the subtree (never a sum of
-- its children). platform 'all' is the distinct count across platforms. Unknown feature ids are
-- counted at their own id only (feature_known = false). Key: (week_start, workspace_id, feature_id, platform).
CREATE TABLE IF NOT EXISTS curated.feature_usage_weekly (
  week_start DATE NOT NULL,
  workspace_id VARCHAR NOT NULL,
  feature_id VARCHAR NOT NULL,
  platform VARCHAR NOT NULL,
  feature_known BOOLEAN NOT NULL,
  events BIGINT NOT NULL,
  users BIGINT NOT NULL
) CLUSTER BY (week_start, workspace_id);
