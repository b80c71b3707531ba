-- The usage rows a run recomputes: (period, workspace, feature) for every hierarchy level of the
-- features the changed events used; feature_id NULL means every feature of (period, workspace), for
-- forced keys (backfill, catalog change). period is event_date or week_start, per model.
CREATE TABLE IF NOT EXISTS work.usage_keys (
  period DATE NOT NULL,
  workspace_key VARCHAR NOT NULL,
  feature_id VARCHAR
);
