-- unplanned-events: events a source whose tracking plan is allow sent under a name without a schema, accepted
-- against the built-in permissive schema (raw.events.planned = false), among the events loaded in
-- (loaded_after, loaded_until]. An event counts once (distinct dedup_key): a client's retry or a file loaded
-- twice is not a second event.

-- @statement events_by_source
SELECT
  r.source_id,
  COUNT(DISTINCT r.dedup_key) AS events,
  COUNT(DISTINCT CASE WHEN r.planned = FALSE THEN r.dedup_key END) AS unplanned_events,
  COUNT(DISTINCT CASE WHEN r.planned = FALSE THEN r.event_name END) AS unplanned_names
FROM raw.events r
WHERE {{ loaded_in_window('r') }}
GROUP BY r.source_id;

-- @statement unplanned_names
-- Up to 20 unplanned event names per source, most events first: the schemas to write.
SELECT n.source_id, n.event_name, n.events
FROM (
  SELECT
    r.source_id,
    r.event_name,
    COUNT(DISTINCT r.dedup_key) AS events,
    ROW_NUMBER() OVER (
      PARTITION BY r.source_id ORDER BY COUNT(DISTINCT r.dedup_key) DESC, r.event_name
    ) AS rank_in_source
  FROM raw.events r
  WHERE {{ loaded_in_window('r') }}
    AND r.planned = FALSE
  GROUP BY r.source_id, r.event_name
) n
WHERE n.rank_in_source <= 20
ORDER BY n.source_id, n.events DESC, n.event_name;
