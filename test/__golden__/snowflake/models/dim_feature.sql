-- Replaces curated.dim_feature with the catalog. features: a JSON array of
-- { feature_id, feature_name, parent_id, level, owner, status, description, aliases }.
-- @statement delete_all
DELETE FROM curated.dim_feature;

-- @statement insert_catalog
INSERT INTO curated.dim_feature (feature_id, feature_name, parent_id, level, owner, status, description, aliases)
SELECT
  v.value:feature_id::VARCHAR,
  v.value:feature_name::VARCHAR,
  v.value:parent_id::VARCHAR,
  CAST(v.value:level::VARCHAR AS INTEGER),
  v.value:owner::VARCHAR,
  v.value:status::VARCHAR,
  v.value:description::VARCHAR,
  v.value:aliases
FROM TABLE(FLATTEN(INPUT => PARSE_JSON(?))) AS v;
