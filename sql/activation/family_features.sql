-- The features an activation fact's feature family counts (the family and every feature below it), read
-- once per run after the closure model: the fact_filter fragment takes them as a parameter, so the
-- activation statements do not each read curated.feature_closure again.

-- @statement read
SELECT fc.feature_id
FROM curated.feature_closure fc
WHERE fc.ancestor_id = CAST({{ param('feature_family') }} AS VARCHAR)
ORDER BY fc.feature_id;
