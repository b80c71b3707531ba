-- ops.erasure_verify_work: the raw objects of one verification pass, one row each, searched one at a time.

-- @statement queue
-- Idempotent: an object already listed for the pass keeps its row.
INSERT INTO ops.erasure_verify_work (
  request_id, verify_pass, object_key, status, object_found, lines_found, attempts, queued_at, done_at
)
SELECT
  CAST(? AS VARCHAR), CAST(? AS INTEGER), k.value, 'queued',
  CAST(NULL AS BOOLEAN), CAST(NULL AS BIGINT), 0,
  CAST(? AS TIMESTAMP_NTZ), CAST(NULL AS TIMESTAMP_NTZ)
FROM (
  SELECT DISTINCT o.value:id::VARCHAR AS value FROM TABLE(FLATTEN(INPUT => PARSE_JSON(?))) AS o
) k
WHERE NOT EXISTS (
  SELECT 1 FROM ops.erasure_verify_work w
  WHERE w.request_id = ?
    AND w.verify_pass = ?
    AND w.object_key = k.value
);

-- @statement mark_done
-- Only a queued row: a second delivery of a done object changes nothing (its lines count once).
UPDATE ops.erasure_verify_work
SET status = 'done',
  object_found = CAST(? AS BOOLEAN),
  lines_found = CAST(? AS BIGINT),
  done_at = CAST(? AS TIMESTAMP_NTZ)
WHERE request_id = ?
  AND verify_pass = ?
  AND object_key = ?
  AND status = 'queued';

-- @statement status
SELECT w.object_key, w.status, CASE WHEN w.object_found THEN 1 ELSE 0 END AS found, w.lines_found
FROM ops.erasure_verify_work w
WHERE w.request_id = ?
  AND w.verify_pass = ?
ORDER BY w.object_key;

-- @statement object
SELECT w.status, w.attempts, w.lines_found
FROM ops.erasure_verify_work w
WHERE w.request_id = ?
  AND w.verify_pass = ?
  AND w.object_key = ?;
