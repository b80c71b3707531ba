-- Reading and writing ops.erasure_requests. A request is written whole (insert, then update of every mutable
-- column), so each step records its outcome in one statement, in the transaction of its work when it has one.

-- @statement insert
INSERT INTO ops.erasure_requests (
  request_id, subject_hash, user_id, workspace_id, source, requested_by, received_at, due_at, status, step,
  attempts, anonymous_ids, mention_keys, scan_from, scan_to, tail_from, tail_to, objects_cursor, suppressed_at,
  objects_done_at, objects_scanned, objects_rewritten, objects_deleted, lines_removed, warehouse_done_at,
  rows_removed, rows_by_table, verified_at, verification, completed_at, last_error, updated_at
)
SELECT {{ param_columns('
  request_id, subject_hash, user_id, workspace_id, source, requested_by, received_at ts, due_at ts, status,
  step, attempts integer, anonymous_ids json, mention_keys json, scan_from date, scan_to date, tail_from date,
  tail_to date, objects_cursor, suppressed_at ts, objects_done_at ts, objects_scanned bigint,
  objects_rewritten bigint, objects_deleted bigint, lines_removed bigint, warehouse_done_at ts,
  rows_removed bigint, rows_by_table json, verified_at ts, verification json, completed_at ts, last_error,
  updated_at ts') }};

-- @statement update
UPDATE ops.erasure_requests
-- every column but the request's identity (request_id, subject_hash, workspace_id, source, requested_by,
-- received_at, due_at), which never changes
SET {{ param_set('
  user_id, status, step, attempts integer, anonymous_ids json, mention_keys json, scan_from date,
  scan_to date, tail_from date, tail_to date, objects_cursor, suppressed_at ts, objects_done_at ts,
  objects_scanned bigint, objects_rewritten bigint, objects_deleted bigint, lines_removed bigint,
  warehouse_done_at ts, rows_removed bigint, rows_by_table json, verified_at ts, verification json,
  completed_at ts, last_error, updated_at ts') }}
WHERE request_id = {{ param('request_id') }};

-- @statement set_error
-- A failed step records why, leaving the progress the step saved before failing as it is.
UPDATE ops.erasure_requests
SET {{ param_set('last_error, updated_at ts') }}
WHERE request_id = {{ param('request_id') }};

-- @statement read
SELECT q.*
FROM ops.erasure_requests q
WHERE q.request_id = {{ param('request_id') }};

-- @statement open
SELECT q.*
FROM ops.erasure_requests q
WHERE q.status <> 'completed'
ORDER BY q.received_at, q.request_id;

-- @statement by_subject
SELECT q.*
FROM ops.erasure_requests q
WHERE q.subject_hash = {{ param('subject_hash') }}
  AND (q.workspace_id = {{ param('workspace_id') }}
    OR (q.workspace_id IS NULL AND CAST({{ param('workspace_id') }} AS VARCHAR) IS NULL))
ORDER BY q.received_at DESC, q.request_id DESC;

-- @statement status_counts
SELECT
  COUNT(CASE WHEN q.status <> 'completed' THEN 1 END) AS open_requests,
  COUNT(CASE WHEN q.status <> 'completed' AND q.received_at <= CAST({{ param('overdue_received_before') }} AS {{ type_ts }})
    THEN 1 END) AS overdue_requests,
  COUNT(CASE WHEN q.status <> 'completed' AND q.due_at <= CAST({{ param('now') }} AS {{ type_ts }}) THEN 1 END)
    AS past_due_requests,
  MIN(CASE WHEN q.status <> 'completed' THEN q.received_at END) AS oldest_open_received_at
FROM ops.erasure_requests q;

-- @statement insert_step
INSERT INTO ops.erasure_steps (request_id, step, attempt, started_at, finished_at, status, outcome, error)
SELECT {{ param_columns('request_id, step, attempt integer, started_at ts, finished_at ts, status, outcome json, error') }};
