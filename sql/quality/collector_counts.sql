-- Reads and adds to ops.collector_counts (see ddl/collector_counts.sql).

-- @statement accepted_by_minute
-- Accepted events received in [received_from, received_before), per source, event name and minute.
SELECT c.source_id, c.event_name, c.received_minute, SUM(c.accepted) AS accepted
FROM ops.collector_counts c
WHERE c.received_minute >= CAST({{ param('received_from') }} AS {{ type_ts }})
  AND c.received_minute < CAST({{ param('received_before') }} AS {{ type_ts }})
GROUP BY c.source_id, c.event_name, c.received_minute;

-- @statement add_counts
-- Adds a batch of counts. counts: a JSON array of { source_id, event_name, received_minute, accepted }
-- with at most one element per (source_id, event_name, received_minute).
MERGE INTO ops.collector_counts t
USING (
  SELECT
    {{ json_str('v.value', 'source_id') }} AS source_id,
    {{ json_str('v.value', 'event_name') }} AS event_name,
    CAST({{ json_str('v.value', 'received_minute') }} AS {{ type_ts }}) AS received_minute,
    CAST({{ json_str('v.value', 'accepted') }} AS BIGINT) AS accepted
  FROM {{ json_rows(param('counts')) }} AS v
) s
ON t.source_id = s.source_id AND t.event_name = s.event_name AND t.received_minute = s.received_minute
WHEN MATCHED THEN UPDATE SET accepted = t.accepted + s.accepted
WHEN NOT MATCHED THEN INSERT (source_id, event_name, received_minute, accepted)
  VALUES (s.source_id, s.event_name, s.received_minute, s.accepted);

-- @statement prune
DELETE FROM ops.collector_counts
WHERE received_minute < CAST({{ param('keep_after') }} AS {{ type_ts }});
