-- The feature catalog (schemas/features.json), one row per feature id. level: 1 for an area, 2 for a
-- feature group, 3 for a leaf feature; parent_id is the id without its last segment.
CREATE TABLE IF NOT EXISTS curated.dim_feature (
  feature_id VARCHAR NOT NULL,
  feature_name VARCHAR NOT NULL,
  parent_id VARCHAR,
  level INTEGER NOT NULL,
  owner VARCHAR NOT NULL,
  status VARCHAR NOT NULL,
  description VARCHAR,
  aliases VARIANT
);
