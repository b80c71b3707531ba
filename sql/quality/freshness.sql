-- freshness-raw and freshness-curated.

-- @statement newest_raw_load
-- The newest load into raw (events or rejected) since loaded_after, and the newest receipt time in it.
SELECT MAX(t.loaded_at) AS newest_loaded_at, MAX(t.received_at) AS newest_received_at
FROM (
  SELECT r.loaded_at, r.received_at
  FROM raw.events r
  WHERE r.loaded_at > CAST({{ param('loaded_after') }} AS {{ type_ts }})
  UNION ALL
  SELECT j.loaded_at, j.received_at
  FROM raw.rejected_events j
  WHERE j.loaded_at > CAST({{ param('loaded_after') }} AS {{ type_ts }})
) t;

-- @statement model_watermarks
-- Incremental models (those with a loaded_at watermark).
SELECT w.model_name, w.loaded_at_watermark
FROM ops.watermarks w
WHERE w.loaded_at_watermark IS NOT NULL;

-- @statement pending_after
-- raw.events rows loaded from pending_from (the model's watermark plus 1 ms: watermarks are kept to the
-- millisecond, load times may have microseconds) up to now, which the model has not reflected yet: how
-- many, the oldest load time among them, and up to 20 of their files (oldest first).
SELECT p.file_name, p.oldest_loaded_at, p.file_rows,
  MIN(p.oldest_loaded_at) OVER () AS oldest_pending_loaded_at,
  SUM(p.file_rows) OVER () AS pending_rows
FROM (
  SELECT r.file_name, MIN(r.loaded_at) AS oldest_loaded_at, COUNT(*) AS file_rows
  FROM raw.events r
  WHERE r.loaded_at >= CAST({{ param('pending_from') }} AS {{ type_ts }})
    AND r.loaded_at <= CAST({{ param('loaded_until') }} AS {{ type_ts }})
  GROUP BY r.file_name
) p
ORDER BY p.oldest_loaded_at, p.file_name
LIMIT 20;
