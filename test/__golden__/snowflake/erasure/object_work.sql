-- ops.erasure_object_work: a request's raw objects, one row each, worked on one at a time.

-- @statement queue
-- Idempotent: an object already listed for the request keeps its row.
INSERT INTO ops.erasure_object_work (
  request_id, object_key, pass, status, lines_removed, linked_ids, mention_keys, attempts, queued_at, done_at
)
SELECT
  CAST(? AS VARCHAR), k.value, 1, 'queued', CAST(NULL AS BIGINT),
  CAST(NULL AS VARIANT), CAST(NULL AS VARIANT), 0,
  CAST(? AS TIMESTAMP_NTZ), CAST(NULL AS TIMESTAMP_NTZ)
FROM (
  SELECT DISTINCT o.value:id::VARCHAR AS value FROM TABLE(FLATTEN(INPUT => PARSE_JSON(?))) AS o
) k
WHERE NOT EXISTS (
  SELECT 1 FROM ops.erasure_object_work w
  WHERE w.request_id = ? AND w.object_key = k.value
);

-- @statement requeue
-- Another pass over every object of the request (the subject gained linked ids).
UPDATE ops.erasure_object_work
SET status = 'queued', pass = pass + 1, lines_removed = NULL, linked_ids = NULL, mention_keys = NULL,
  queued_at = CAST(? AS TIMESTAMP_NTZ), done_at = NULL
WHERE request_id = ?;

-- @statement mark_done
UPDATE ops.erasure_object_work
SET status = 'done',
  lines_removed = CAST(? AS BIGINT),
  linked_ids = PARSE_JSON(?),
  mention_keys = PARSE_JSON(?),
  done_at = CAST(? AS TIMESTAMP_NTZ)
WHERE request_id = ?
  AND object_key = ?
  AND status = 'queued';

-- @statement status
SELECT w.object_key, w.status, w.linked_ids, w.mention_keys
FROM ops.erasure_object_work w
WHERE w.request_id = ?
ORDER BY w.object_key;

-- @statement object
SELECT w.status, w.pass, w.attempts
FROM ops.erasure_object_work w
WHERE w.request_id = ?
  AND w.object_key = ?;

-- @statement forget
-- A verification found something left and sends the request back: the next objects pass lists the
-- objects anew (objects landed since included), as the in-process step scans its partitions again.
DELETE FROM ops.erasure_object_work
WHERE request_id = ?;
