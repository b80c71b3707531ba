-- What a run changed in the fact table, as the keys aggregates depend on. change: 'insert' (a new
-- event), 'replace_new' / 'replace_old' (both versions of a replaced copy), 'forced' (a backfill or a
-- catalog change asks for recomputation). Aggregates recompute exactly the keys found here.
CREATE TABLE IF NOT EXISTS work.fct_delta (
  change VARCHAR NOT NULL,
  event_date DATE NOT NULL,
  week_start DATE NOT NULL,
  workspace_key VARCHAR NOT NULL,
  user_key VARCHAR,
  feature_id VARCHAR,
  platform_key VARCHAR NOT NULL
);
