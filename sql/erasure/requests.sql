-- Reading and writing ops.erasure_requests. A request is written whole (insert, then update of every mutable
-- column), so each step records its outcome in one statement, in the transaction of its work when it has one.

-- @statement insert
INSERT INTO ops.erasure_requests (
  request_id, subject_hash, user_id, workspace_id, source, requested_by, received_at, due_at, status, step,
  attempts, anonymous_ids, mention_keys, scan_from, scan_to, tail_from, tail_to, objects_cursor, suppressed_at,
  objects_done_at, objects_scanned, objects_rewritten, objects_deleted, lines_removed, warehouse_done_at,
  rows_removed, rows_by_table, verified_at, verification, completed_at, last_error, updated_at
)
SELECT
  CAST({{ param('request_id') }} AS VARCHAR),
  CAST({{ param('subject_hash') }} AS VARCHAR),
  CAST({{ param('user_id') }} AS VARCHAR),
  CAST({{ param('workspace_id') }} AS VARCHAR),
  CAST({{ param('source') }} AS VARCHAR),
  CAST({{ param('requested_by') }} AS VARCHAR),
  CAST({{ param('received_at') }} AS {{ type_ts }}),
  CAST({{ param('due_at') }} AS {{ type_ts }}),
  CAST({{ param('status') }} AS VARCHAR),
  CAST({{ param('step') }} AS VARCHAR),
  CAST({{ param('attempts') }} AS INTEGER),
  {{ json_parse(param('anonymous_ids')) }},
  {{ json_parse(param('mention_keys')) }},
  CAST({{ param('scan_from') }} AS DATE),
  CAST({{ param('scan_to') }} AS DATE),
  CAST({{ param('tail_from') }} AS DATE),
  CAST({{ param('tail_to') }} AS DATE),
  CAST({{ param('objects_cursor') }} AS VARCHAR),
  CAST({{ param('suppressed_at') }} AS {{ type_ts }}),
  CAST({{ param('objects_done_at') }} AS {{ type_ts }}),
  CAST({{ param('objects_scanned') }} AS BIGINT),
  CAST({{ param('objects_rewritten') }} AS BIGINT),
  CAST({{ param('objects_deleted') }} AS BIGINT),
  CAST({{ param('lines_removed') }} AS BIGINT),
  CAST({{ param('warehouse_done_at') }} AS {{ type_ts }}),
  CAST({{ param('rows_removed') }} AS BIGINT),
  {{ json_parse(param('rows_by_table')) }},
  CAST({{ param('verified_at') }} AS {{ type_ts }}),
  {{ json_parse(param('verification')) }},
  CAST({{ param('completed_at') }} AS {{ type_ts }}),
  CAST({{ param('last_error') }} AS VARCHAR),
  CAST({{ param('updated_at') }} AS {{ type_ts }});

-- @statement update
UPDATE ops.erasure_requests
SET user_id = CAST({{ param('user_id') }} AS VARCHAR),
  status = CAST({{ param('status') }} AS VARCHAR),
  step = CAST({{ param('step') }} AS VARCHAR),
  attempts = CAST({{ param('attempts') }} AS INTEGER),
  anonymous_ids = {{ json_parse(param('anonymous_ids')) }},
  mention_keys = {{ json_parse(param('mention_keys')) }},
  scan_from = CAST({{ param('scan_from') }} AS DATE),
  scan_to = CAST({{ param('scan_to') }} AS DATE),
  tail_from = CAST({{ param('tail_from') }} AS DATE),
  tail_to = CAST({{ param('tail_to') }} AS DATE),
  objects_cursor = CAST({{ param('objects_cursor') }} AS VARCHAR),
  suppressed_at = CAST({{ param('suppressed_at') }} AS {{ type_ts }}),
  objects_done_at = CAST({{ param('objects_done_at') }} AS {{ type_ts }}),
  objects_scanned = CAST({{ param('objects_scanned') }} AS BIGINT),
  objects_rewritten = CAST({{ param('objects_rewritten') }} AS BIGINT),
  objects_deleted = CAST({{ param('objects_deleted') }} AS BIGINT),
  lines_removed = CAST({{ param('lines_removed') }} AS BIGINT),
  warehouse_done_at = CAST({{ param('warehouse_done_at') }} AS {{ type_ts }}),
  rows_removed = CAST({{ param('rows_removed') }} AS BIGINT),
  rows_by_table = {{ json_parse(param('rows_by_table')) }},
  verified_at = CAST({{ param('verified_at') }} AS {{ type_ts }}),
  verification = {{ json_parse(param('verification')) }},
  completed_at = CAST({{ param('completed_at') }} AS {{ type_ts }}),
  last_error = CAST({{ param('last_error') }} AS VARCHAR),
  updated_at = CAST({{ param('updated_at') }} AS {{ type_ts }})
WHERE request_id = {{ param('request_id') }};

-- @statement set_error
-- A failed step records why, leaving the progress the step saved before failing as it is.
UPDATE ops.erasure_requests
SET last_error = CAST({{ param('last_error') }} AS VARCHAR),
  updated_at = CAST({{ param('updated_at') }} AS {{ type_ts }})
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
SELECT
  CAST({{ param('request_id') }} AS VARCHAR),
  CAST({{ param('step') }} AS VARCHAR),
  CAST({{ param('attempt') }} AS INTEGER),
  CAST({{ param('started_at') }} AS {{ type_ts }}),
  CAST({{ param('finished_at') }} AS {{ type_ts }}),
  CAST({{ param('status') }} AS VARCHAR),
  {{ json_parse(param('outcome')) }},
  CAST({{ param('error') }} AS VARCHAR);
