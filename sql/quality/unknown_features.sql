-- unknown-features: events naming a feature id the catalog does not know (feature_known = false), among
-- events with a feature id loaded in (loaded_after, loaded_until].

-- @statement feature_events_by_source
SELECT r.source_id, COUNT(*) AS events
FROM raw.events r
WHERE {{ loaded_in_window('r') }}
  AND r.feature_id IS NOT NULL
GROUP BY r.source_id;

-- @statement unknown_by_source_and_feature
SELECT r.source_id, r.feature_id, COUNT(*) AS events
FROM raw.events r
WHERE {{ loaded_in_window('r') }}
  AND r.feature_id IS NOT NULL
  AND r.feature_known = FALSE
GROUP BY r.source_id, r.feature_id;
