-- Lines Snowpipe could not load, copied from the error tables of raw.events and raw.rejected_events into
-- raw.rejected_events as UNLOADABLE_LINE rows: the rows the local loader writes as it loads
-- (lambdas/core/warehouse/raw-lines.ts), so a bad line shows where the good ones are counted. The pipes
-- load with ON_ERROR = CONTINUE and both tables have ERROR_LOGGING = TRUE (sql/snowflake/pipes.sql); the
-- quality job runs this before its checks. On DuckDB `load_errors` has no rows: it inserts nothing.
--
-- Reads only the errors of the lookback window (errors_from: Snowpipe may record an error after the time
-- it stamps on it, so the window is hours, not one run), and is idempotent: a line already copied (same
-- file, line and text, loaded_at = its error time) is not copied again, nor twice in one run. raw_record
-- keeps the first MiB of the line, as the local loader does.

-- @statement copy_errors
INSERT INTO raw.rejected_events (
  reason_code, reason_message, reason_path, reason_keyword, source_id, received_at, request_id, intake,
  event_name, event_id, workspace_id, user_id, raw_record, lineage, file_name, file_row, loaded_at
)
SELECT
  'UNLOADABLE_LINE',
  e.message,
  CAST(NULL AS VARCHAR),
  CAST(NULL AS VARCHAR),
  {{ json_str('e.doc', 'source_id') }},
  e.received_at,
  {{ json_str('e.doc', 'request_id') }},
  {{ json_str('e.doc', 'intake') }},
  {{ json_str('e.doc', 'event_name') }},
  {{ json_str('e.doc', 'event_id') }},
  {{ json_str('e.doc', 'workspace_id') }},
  {{ json_str('e.doc', 'user_id') }},
  e.raw_record,
  CAST(NULL AS {{ type_json }}),
  e.file_name,
  e.file_row,
  e.error_at
FROM (
  SELECT le.*, COALESCE(SUBSTR(le.line, 1, 1048576), '') AS raw_record
  FROM (
    SELECT * FROM {{ load_errors('raw.events') }}
    UNION ALL
    SELECT * FROM {{ load_errors('raw.rejected_events') }}
  ) le
  WHERE le.error_at >= CAST({{ param('errors_from') }} AS {{ type_ts }})
  QUALIFY ROW_NUMBER() OVER (PARTITION BY le.file_name, le.file_row, le.line ORDER BY le.error_at) = 1
) e
WHERE NOT EXISTS (
  SELECT 1
  FROM raw.rejected_events j
  WHERE j.loaded_at >= CAST({{ param('errors_from') }} AS {{ type_ts }})
    AND j.reason_code = 'UNLOADABLE_LINE'
    AND j.file_name = e.file_name
    AND j.file_row = e.file_row
    AND j.raw_record = e.raw_record
);
