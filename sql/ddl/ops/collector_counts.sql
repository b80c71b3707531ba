-- Events the collector accepted (answered 200 for), per source, event name and minute of received_at:
-- the left side of the end-to-end reconciliation. event_name is the name the validator assigns ('' when
-- the event cannot be parsed). Filled by the local stack; on AWS the same numbers are the collector's
-- AcceptedEvents metric. Key: (source_id, event_name, received_minute). Kept 14 days.
CREATE TABLE IF NOT EXISTS ops.collector_counts (
  source_id VARCHAR NOT NULL,
  event_name VARCHAR NOT NULL,
  received_minute {{ type_ts }} NOT NULL,
  accepted BIGINT NOT NULL
);
