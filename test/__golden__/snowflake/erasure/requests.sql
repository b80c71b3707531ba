-- Reading and writing ops.erasure_requests. A request is written whole (insert, then update of every mutable
-- column), so each step records its outcome in one statement, in the transaction of its work when it has one.

-- @statement insert
INSERT INTO ops.erasure_requests (
  request_id, subject_hash, user_id, workspace_id, source, requested_by, received_at, due_at, status, step,
  attempts, anonymous_ids, mention_keys, scan_from, scan_to, tail_from, tail_to, objects_cursor, suppressed_at,
  objects_done_at, objects_scanned, objects_rewritten, objects_deleted, lines_removed, warehouse_done_at,
  rows_removed, rows_by_table, verified_at, verification, completed_at, last_error, updated_at
)
SELECT CAST(? AS VARCHAR),
  CAST(? AS VARCHAR),
  CAST(? AS VARCHAR),
  CAST(? AS VARCHAR),
  CAST(? AS VARCHAR),
  CAST(? AS VARCHAR),
  CAST(? AS TIMESTAMP_NTZ),
  CAST(? AS TIMESTAMP_NTZ),
  CAST(? AS VARCHAR),
  CAST(? AS VARCHAR),
  CAST(? AS INTEGER),
  PARSE_JSON(?),
  PARSE_JSON(?),
  CAST(? AS DATE),
  CAST(? AS DATE),
  CAST(? AS DATE),
  CAST(? AS DATE),
  CAST(? AS VARCHAR),
  CAST(? AS TIMESTAMP_NTZ),
  CAST(? AS TIMESTAMP_NTZ),
  CAST(? AS BIGINT),
  CAST(? AS BIGINT),
  CAST(? AS BIGINT),
  CAST(? AS BIGINT),
  CAST(? AS TIMESTAMP_NTZ),
  CAST(? AS BIGINT),
  PARSE_JSON(?),
  CAST(? AS TIMESTAMP_NTZ),
  PARSE_JSON(?),
  CAST(? AS TIMESTAMP_NTZ),
  CAST(? AS VARCHAR),
  CAST(? AS TIMESTAMP_NTZ);

-- @statement update
UPDATE ops.erasure_requests
-- every column but the request's identity (request_id, subject_hash, workspace_id, source, requested_by,
-- received_at, due_at), which never changes
SET user_id = CAST(? AS VARCHAR),
  status = CAST(? AS VARCHAR),
  step = CAST(? AS VARCHAR),
  attempts = CAST(? AS INTEGER),
  anonymous_ids = PARSE_JSON(?),
  mention_keys = PARSE_JSON(?),
  scan_from = CAST(? AS DATE),
  scan_to = CAST(? AS DATE),
  tail_from = CAST(? AS DATE),
  tail_to = CAST(? AS DATE),
  objects_cursor = CAST(? AS VARCHAR),
  suppressed_at = CAST(? AS TIMESTAMP_NTZ),
  objects_done_at = CAST(? AS TIMESTAMP_NTZ),
  objects_scanned = CAST(? AS BIGINT),
  objects_rewritten = CAST(? AS BIGINT),
  objects_deleted = CAST(? AS BIGINT),
  lines_removed = CAST(? AS BIGINT),
  warehouse_done_at = CAST(? AS TIMESTAMP_NTZ),
  rows_removed = CAST(? AS BIGINT),
  rows_by_table = PARSE_JSON(?),
  verified_at = CAST(? AS TIMESTAMP_NTZ),
  verification = PARSE_JSON(?),
  completed_at = CAST(? AS TIMESTAMP_NTZ),
  last_error = CAST(? AS VARCHAR),
  updated_at = CAST(? AS TIMESTAMP_NTZ)
WHERE request_id = ?;

-- @statement set_error
-- A failed step records why, leaving the progress the step saved before failing as it is.
UPDATE ops.erasure_requests
SET last_error = CAST(? AS VARCHAR),
  updated_at = CAST(? AS TIMESTAMP_NTZ)
WHERE request_id = ?;

-- @statement read
SELECT q.*
FROM ops.erasure_requests q
WHERE q.request_id = ?;

-- @statement open
SELECT q.*
FROM ops.erasure_requests q
WHERE q.status <> 'completed'
ORDER BY q.received_at, q.request_id;

-- @statement by_subject
SELECT q.*
FROM ops.erasure_requests q
WHERE q.subject_hash = ?
  AND (q.workspace_id = ?
    OR (q.workspace_id IS NULL AND CAST(? AS VARCHAR) IS NULL))
ORDER BY q.received_at DESC, q.request_id DESC;

-- @statement status_counts
SELECT
  COUNT(CASE WHEN q.status <> 'completed' THEN 1 END) AS open_requests,
  COUNT(CASE WHEN q.status <> 'completed' AND q.received_at <= CAST(? AS TIMESTAMP_NTZ)
    THEN 1 END) AS overdue_requests,
  COUNT(CASE WHEN q.status <> 'completed' AND q.due_at <= CAST(? AS TIMESTAMP_NTZ) THEN 1 END)
    AS past_due_requests,
  MIN(CASE WHEN q.status <> 'completed' THEN q.received_at END) AS oldest_open_received_at
FROM ops.erasure_requests q;

-- @statement insert_step
INSERT INTO ops.erasure_steps (request_id, step, attempt, started_at, finished_at, status, outcome, error)
SELECT CAST(? AS VARCHAR),
  CAST(? AS VARCHAR),
  CAST(? AS INTEGER),
  CAST(? AS TIMESTAMP_NTZ),
  CAST(? AS TIMESTAMP_NTZ),
  CAST(? AS VARCHAR),
  PARSE_JSON(?),
  CAST(? AS VARCHAR);
