-- Reads and adds to ops.collector_counts (see ddl/collector_counts.sql).

-- @statement accepted_by_minute
-- Accepted events received in [received_from, received_before), per source, event name and minute.
SELECT c.source_id, c.event_name, c.received_minute, SUM(c.accepted) AS accepted
FROM ops.collector_counts c
WHERE c.received_minute >= CAST(? AS TIMESTAMP_NTZ)
  AND c.received_minute < CAST(? AS TIMESTAMP_NTZ)
GROUP BY c.source_id, c.event_name, c.received_minute;

-- @statement add_counts
-- Adds a batch of counts. counts: a JSON array of { source_id, event_name, received_minute, accepted }
-- with at most one element per (source_id, event_name, received_minute).
MERGE INTO ops.collector_counts t
USING (
  SELECT
    v.value:source_id::VARCHAR AS source_id,
    v.value:event_name::VARCHAR AS event_name,
    CAST(v.value:received_minute::VARCHAR AS TIMESTAMP_NTZ) AS received_minute,
    CAST(v.value:accepted::VARCHAR AS BIGINT) AS accepted
  FROM TABLE(FLATTEN(INPUT => PARSE_JSON(?))) AS v
) s
ON t.source_id = s.source_id AND t.event_name = s.event_name AND t.received_minute = s.received_minute
WHEN MATCHED THEN UPDATE SET accepted = t.accepted + s.accepted
WHEN NOT MATCHED THEN INSERT (source_id, event_name, received_minute, accepted)
  VALUES (s.source_id, s.event_name, s.received_minute, s.accepted);

-- @statement prune
DELETE FROM ops.collector_counts
WHERE received_minute < CAST(? AS TIMESTAMP_NTZ);
