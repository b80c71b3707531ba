-- Workspaces whose adoption rows a run touches, with their new window end and active users;
-- recompute_all when the window moved, the active users changed or the keys were forced (then every
-- feature of the workspace is recomputed, else only the features the changed events used).
CREATE TABLE IF NOT EXISTS work.adoption_workspaces (
  workspace_id VARCHAR NOT NULL,
  as_of_date DATE NOT NULL,
  active_users_28d BIGINT NOT NULL,
  recompute_all BOOLEAN NOT NULL
);
