-- unloadable-lines: lines of events/ and rejected/ files that could not be loaded, stored in
-- raw.rejected_events as UNLOADABLE_LINE rows (by the local loader as it loads; on Snowflake copied from
-- the pipes' error tables by the quality job, sql/loads/unloadable_lines.sql), loaded in
-- (loaded_after, loaded_until]. Lines whose source cannot be read count under source '(unknown)'.

-- @statement unloadable_by_source
SELECT COALESCE(j.source_id, '(unknown)') AS source_id, COUNT(*) AS lines
FROM raw.rejected_events j
WHERE {{ loaded_in_window('j') }}
  AND j.reason_code = 'UNLOADABLE_LINE'
GROUP BY COALESCE(j.source_id, '(unknown)');

-- @statement unloadable_sample
-- Up to 20 lines per source, newest first: `file#line: problem`.
SELECT s.source_id, s.offending_key
FROM (
  SELECT
    COALESCE(j.source_id, '(unknown)') AS source_id,
    j.file_name || '#' || CAST(j.file_row AS VARCHAR) || ': ' || SUBSTR(COALESCE(j.reason_message, ''), 1, 160)
      AS offending_key,
    ROW_NUMBER() OVER (
      PARTITION BY COALESCE(j.source_id, '(unknown)') ORDER BY j.loaded_at DESC, j.file_name, j.file_row
    ) AS rank_in_source
  FROM raw.rejected_events j
  WHERE {{ loaded_in_window('j') }}
    AND j.reason_code = 'UNLOADABLE_LINE'
) s
WHERE s.rank_in_source <= 20
ORDER BY s.source_id, s.rank_in_source;
