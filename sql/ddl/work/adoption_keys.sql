-- The (workspace, feature) adoption rows a run recomputes in workspaces that keep their window: every
-- hierarchy level of the features their changed events used.
CREATE TABLE IF NOT EXISTS work.adoption_keys (
  workspace_id VARCHAR NOT NULL,
  feature_id VARCHAR NOT NULL
);
