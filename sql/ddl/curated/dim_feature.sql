-- The feature catalog (schemas/features.json), one row per feature id, plus the implicit parents a
-- dotted id implies when the catalog does not list them (in_catalog = false). depth: 1 for a root.
CREATE TABLE IF NOT EXISTS curated.dim_feature (
  feature_id VARCHAR NOT NULL,
  feature_name VARCHAR NOT NULL,
  parent_id VARCHAR,
  depth INTEGER NOT NULL,
  owner VARCHAR,
  status VARCHAR,
  aliases {{ type_json }},
  in_catalog BOOLEAN NOT NULL
);
