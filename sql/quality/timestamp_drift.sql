-- timestamp-drift: events whose event time is implausibly far from the server receipt time, among
-- events loaded in (loaded_after, loaded_until]. future: event_ts more than future_seconds after
-- received_at (a client clock ahead, or occurred_at after sent_at). past: event_ts more than past_seconds
-- before received_at (older than the late-data window the models promise to place on the right day).
-- DATEDIFF('second', a, b) counts second boundaries from a to b in both dialects.

-- @statement events_by_source
SELECT r.source_id, COUNT(*) AS events
FROM raw.events r
WHERE {{ loaded_in_window('r') }}
GROUP BY r.source_id;

-- @statement drifted
-- Up to 20 most drifted events per (source, direction), each row with its direction's total.
SELECT d.source_id, d.direction, d.dedup_key, d.drift_seconds, d.drifted
FROM (
  SELECT
    e.source_id,
    e.direction,
    e.dedup_key,
    e.drift_seconds,
    COUNT(*) OVER (PARTITION BY e.source_id, e.direction) AS drifted,
    ROW_NUMBER() OVER (PARTITION BY e.source_id, e.direction ORDER BY e.drift_seconds DESC, e.dedup_key) AS rank_in_direction
  FROM (
    SELECT
      r.source_id,
      CASE WHEN r.event_ts > r.received_at THEN 'future' ELSE 'past' END AS direction,
      r.dedup_key,
      ABS(DATEDIFF('second', r.received_at, r.event_ts)) AS drift_seconds
    FROM raw.events r
    WHERE {{ loaded_in_window('r') }}
      AND (
        DATEDIFF('second', r.received_at, r.event_ts) > CAST({{ param('future_seconds') }} AS BIGINT)
        OR DATEDIFF('second', r.event_ts, r.received_at) > CAST({{ param('past_seconds') }} AS BIGINT)
      )
  ) e
) d
WHERE d.rank_in_direction <= 20
ORDER BY d.source_id, d.direction, d.rank_in_direction;
