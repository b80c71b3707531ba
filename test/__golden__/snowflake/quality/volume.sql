-- volume-hourly and volume-daily: events received per event name and platform in [received_from,
-- received_before), per hour or per UTC day. Counted on raw.events (what the collector saw, retries
-- included) by received_at, the server clock, so late-arriving client events do not look like a drop.
-- loaded_at >= received_at always holds; the extra predicate lets Snowflake prune by the clustering key.

-- @statement hourly
SELECT r.event_name, COALESCE(r.platform, '(none)') AS platform,
  DATE_TRUNC('hour', r.received_at) AS bucket_start, COUNT(*) AS events
FROM raw.events r
WHERE r.received_at >= CAST(? AS TIMESTAMP_NTZ)
  AND r.received_at < CAST(? AS TIMESTAMP_NTZ)
  AND r.loaded_at >= CAST(? AS TIMESTAMP_NTZ)
GROUP BY r.event_name, COALESCE(r.platform, '(none)'), DATE_TRUNC('hour', r.received_at);

-- @statement daily
SELECT r.event_name, COALESCE(r.platform, '(none)') AS platform,
  DATE_TRUNC('day', r.received_at) AS bucket_start, COUNT(*) AS events
FROM raw.events r
WHERE r.received_at >= CAST(? AS TIMESTAMP_NTZ)
  AND r.received_at < CAST(? AS TIMESTAMP_NTZ)
  AND r.loaded_at >= CAST(? AS TIMESTAMP_NTZ)
GROUP BY r.event_name, COALESCE(r.platform, '(none)'), DATE_TRUNC('day', r.received_at);
