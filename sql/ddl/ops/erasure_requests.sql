-- GDPR erasure requests (docs/ERASURE.md): one row per request, received and due (+30 days), the step it
-- is at, when each store was done (suppression, raw objects, warehouse, verification), what was removed and
-- the verification proof. user_id and anonymous_ids hold the ids in clear only while the request is open:
-- completion clears them, and subject_hash (SHA-1 of the user id) keeps naming the request. Key: request_id.
CREATE TABLE IF NOT EXISTS ops.erasure_requests (
  request_id VARCHAR NOT NULL,
  subject_hash VARCHAR NOT NULL,
  user_id VARCHAR,
  workspace_id VARCHAR,
  source VARCHAR NOT NULL,
  requested_by VARCHAR,
  received_at {{ type_ts }} NOT NULL,
  due_at {{ type_ts }} NOT NULL,
  status VARCHAR NOT NULL,
  step VARCHAR NOT NULL,
  attempts INTEGER NOT NULL,
  anonymous_ids {{ type_json }},
  mention_keys {{ type_json }},
  scan_from DATE,
  scan_to DATE,
  tail_from DATE,
  tail_to DATE,
  objects_cursor VARCHAR,
  suppressed_at {{ type_ts }},
  objects_done_at {{ type_ts }},
  objects_scanned BIGINT NOT NULL,
  objects_rewritten BIGINT NOT NULL,
  objects_deleted BIGINT NOT NULL,
  lines_removed BIGINT NOT NULL,
  warehouse_done_at {{ type_ts }},
  rows_removed BIGINT NOT NULL,
  rows_by_table {{ type_json }},
  verified_at {{ type_ts }},
  verification {{ type_json }},
  completed_at {{ type_ts }},
  last_error VARCHAR,
  updated_at {{ type_ts }} NOT NULL
);
