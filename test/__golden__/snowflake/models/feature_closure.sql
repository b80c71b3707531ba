-- Replaces curated.feature_closure with the catalog's ancestor pairs. pairs: a JSON array of
-- { feature_id, ancestor_id, distance }, self pairs (distance 0) included.
-- @statement read_all
SELECT c.feature_id, c.ancestor_id, c.distance
FROM curated.feature_closure c;

-- @statement delete_all
DELETE FROM curated.feature_closure;

-- @statement insert_pairs
INSERT INTO curated.feature_closure (feature_id, ancestor_id, distance)
SELECT
  v.value:feature_id::VARCHAR,
  v.value:ancestor_id::VARCHAR,
  CAST(v.value:distance::VARCHAR AS INTEGER)
FROM TABLE(FLATTEN(INPUT => PARSE_JSON(?))) AS v;
