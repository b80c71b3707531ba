-- volume-hourly and volume-daily: events received per event name and platform in [received_from,
-- received_before), per hour or per UTC day. Counted on raw.events (what the collector saw, retries
-- included) by received_at, the server clock, so late-arriving client events do not look like a drop.
-- loaded_at >= received_at always holds; the extra predicate lets Snowflake prune by the clustering key.
-- One template: slot grain (hourly or daily) picks the bucket (lambdas/core/quality/checks/volume.ts).

-- @template buckets
SELECT r.event_name, COALESCE(r.platform, '(none)') AS platform,
  -- @if grain = hourly
  DATE_TRUNC('hour', r.received_at) AS bucket_start,
  -- @end
  -- @if grain = daily
  DATE_TRUNC('day', r.received_at) AS bucket_start,
  -- @end
  COUNT(*) AS events
FROM raw.events r
WHERE r.received_at >= CAST(? AS TIMESTAMP_NTZ)
  AND r.received_at < CAST(? AS TIMESTAMP_NTZ)
  AND r.loaded_at >= CAST(? AS TIMESTAMP_NTZ)
-- by position: the event name, the platform and the bucket as selected
GROUP BY 1, 2, 3;
