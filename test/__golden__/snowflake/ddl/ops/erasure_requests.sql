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
  received_at TIMESTAMP_NTZ NOT NULL,
  due_at TIMESTAMP_NTZ NOT NULL,
  status VARCHAR NOT NULL,
  step VARCHAR NOT NULL,
  attempts INTEGER NOT NULL,
  anonymous_ids VARIANT,
  mention_keys VARIANT,
  scan_from DATE,
  scan_to DATE,
  tail_from DATE,
  tail_to DATE,
  objects_cursor VARCHAR,
  suppressed_at TIMESTAMP_NTZ,
  objects_done_at TIMESTAMP_NTZ,
  objects_scanned BIGINT NOT NULL,
  objects_rewritten BIGINT NOT NULL,
  objects_deleted BIGINT NOT NULL,
  lines_removed BIGINT NOT NULL,
  warehouse_done_at TIMESTAMP_NTZ,
  rows_removed BIGINT NOT NULL,
  rows_by_table VARIANT,
  verified_at TIMESTAMP_NTZ,
  verification VARIANT,
  completed_at TIMESTAMP_NTZ,
  last_error VARCHAR,
  updated_at TIMESTAMP_NTZ NOT NULL
);
