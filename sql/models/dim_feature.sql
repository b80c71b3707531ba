-- Replaces curated.dim_feature with the catalog. features: a JSON array of
-- { feature_id, feature_name, parent_id, level, owner, status, description, aliases }.
-- @statement delete_all
DELETE FROM curated.dim_feature;

-- @statement insert_catalog
INSERT INTO curated.dim_feature (feature_id, feature_name, parent_id, level, owner, status, description, aliases)
SELECT
  {{ json_str('v.value', 'feature_id') }},
  {{ json_str('v.value', 'feature_name') }},
  {{ json_str('v.value', 'parent_id') }},
  CAST({{ json_str('v.value', 'level') }} AS INTEGER),
  {{ json_str('v.value', 'owner') }},
  {{ json_str('v.value', 'status') }},
  {{ json_str('v.value', 'description') }},
  {{ json_get('v.value', 'aliases') }}
FROM {{ json_rows(param('features')) }} AS v;
