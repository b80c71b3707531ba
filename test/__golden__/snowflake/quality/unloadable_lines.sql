-- unloadable-lines: lines of events/ and rejected/ files the loader could not load (the local loader, or
-- Snowpipe's error table copied in), recorded in raw.rejected_events with reason UNLOADABLE_LINE and the
-- file and line they came from, loaded in (loaded_after, loaded_until].

-- @statement unloadable_by_prefix
SELECT
  CASE WHEN j.file_name LIKE 'rejected/%' THEN 'rejected' ELSE 'events' END AS prefix,
  COUNT(*) AS lines
FROM raw.rejected_events j
WHERE j.loaded_at > CAST(? AS TIMESTAMP_NTZ)
  AND j.loaded_at <= CAST(? AS TIMESTAMP_NTZ)
  AND j.reason_code = CAST(? AS VARCHAR)
GROUP BY 1;

-- @statement unloadable_lines
SELECT CASE WHEN j.file_name LIKE 'rejected/%' THEN 'rejected' ELSE 'events' END AS prefix, j.file_name, j.file_row
FROM raw.rejected_events j
WHERE j.loaded_at > CAST(? AS TIMESTAMP_NTZ)
  AND j.loaded_at <= CAST(? AS TIMESTAMP_NTZ)
  AND j.reason_code = CAST(? AS VARCHAR)
ORDER BY j.loaded_at, j.file_name, j.file_row
LIMIT 40;
