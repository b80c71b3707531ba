-- ops.erasure_objects: the raw objects a request rewrote or deleted.

-- @statement record_pending
-- Once per pending object: a retry of an object whose worker died before the write finished scans the
-- same lines again and keeps the first record (two records would count its lines twice).
INSERT INTO ops.erasure_objects (
  request_id, object_key, action, lines_read, lines_removed, status, old_versions_purged, recorded_at, done_at
)
SELECT
  {{ param_columns('request_id, object_key, action, lines_read bigint, lines_removed bigint') }},
  'pending',
  CAST(NULL AS BIGINT),
  CAST({{ param('recorded_at') }} AS {{ type_ts }}),
  CAST(NULL AS {{ type_ts }})
WHERE NOT EXISTS (
  SELECT 1
  FROM ops.erasure_objects o
  WHERE o.request_id = CAST({{ param('request_id') }} AS VARCHAR)
    AND o.object_key = CAST({{ param('object_key') }} AS VARCHAR)
    AND o.status = 'pending'
);

-- @statement mark_done
UPDATE ops.erasure_objects
SET status = 'done',
  {{ param_set('old_versions_purged bigint, done_at ts') }}
WHERE request_id = {{ param('request_id') }}
  AND object_key = {{ param('object_key') }}
  AND status = 'pending';

-- @statement pending
SELECT o.object_key, o.action, o.lines_removed
FROM ops.erasure_objects o
WHERE o.request_id = {{ param('request_id') }}
  AND o.status = 'pending'
ORDER BY o.object_key;

-- @statement keys
SELECT DISTINCT o.object_key
FROM ops.erasure_objects o
WHERE o.request_id = {{ param('request_id') }}
ORDER BY o.object_key;

-- @statement totals
SELECT
  COUNT(CASE WHEN o.action = 'rewritten' THEN 1 END) AS objects_rewritten,
  COUNT(CASE WHEN o.action = 'deleted' THEN 1 END) AS objects_deleted,
  COALESCE(SUM(o.lines_removed), 0) AS lines_removed
FROM ops.erasure_objects o
WHERE o.request_id = {{ param('request_id') }}
  AND o.status = 'done';
