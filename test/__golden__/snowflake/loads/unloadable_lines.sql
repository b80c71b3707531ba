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
  e.doc:source_id::VARCHAR,
  e.received_at,
  e.doc:request_id::VARCHAR,
  e.doc:intake::VARCHAR,
  e.doc:event_name::VARCHAR,
  e.doc:event_id::VARCHAR,
  e.doc:workspace_id::VARCHAR,
  e.doc:user_id::VARCHAR,
  e.raw_record,
  CAST(NULL AS VARIANT),
  e.file_name,
  e.file_row,
  e.error_at
FROM (
  SELECT le.*, COALESCE(SUBSTR(le.line, 1, 1048576), '') AS raw_record
  FROM (
    SELECT * FROM (SELECT err_line.*, TRY_PARSE_JSON(err_line.line) AS doc,
    COALESCE(CONVERT_TIMEZONE('UTC', TRY_TO_TIMESTAMP_TZ(
      GET_PATH(TRY_PARSE_JSON(err_line.line), 'received_at')::VARCHAR))::TIMESTAMP_NTZ, err_line.error_at) AS received_at
  FROM (
    SELECT
      CONVERT_TIMEZONE('UTC', err.timestamp)::TIMESTAMP_NTZ AS error_at,
      COALESCE(REGEXP_REPLACE(COALESCE(err.error_metadata:details:file_name, err.error_metadata:details:file)::VARCHAR,
        '^[a-z0-9]+://[^/]+/', ''), '(unknown file, query ' || err.query_id || ')') AS file_name,
      COALESCE(COALESCE(err.error_metadata:details:line_number, err.error_metadata:details:line)::INTEGER, 0) AS file_row,
      COALESCE(err.error_metadata:error_message::VARCHAR, 'Snowflake error ' || err.error_code) AS message,
      COALESCE(AS_VARCHAR(err.error_data:"$1"), TO_JSON(err.error_data:"$1"), TO_JSON(err.error_data)) AS line
    FROM ERROR_TABLE(raw.events) err
    WHERE err.error_metadata:service::VARCHAR = 'snowpipe'
  ) err_line)
    UNION ALL
    SELECT * FROM (SELECT err_line.*, TRY_PARSE_JSON(err_line.line) AS doc,
    COALESCE(CONVERT_TIMEZONE('UTC', TRY_TO_TIMESTAMP_TZ(
      GET_PATH(TRY_PARSE_JSON(err_line.line), 'received_at')::VARCHAR))::TIMESTAMP_NTZ, err_line.error_at) AS received_at
  FROM (
    SELECT
      CONVERT_TIMEZONE('UTC', err.timestamp)::TIMESTAMP_NTZ AS error_at,
      COALESCE(REGEXP_REPLACE(COALESCE(err.error_metadata:details:file_name, err.error_metadata:details:file)::VARCHAR,
        '^[a-z0-9]+://[^/]+/', ''), '(unknown file, query ' || err.query_id || ')') AS file_name,
      COALESCE(COALESCE(err.error_metadata:details:line_number, err.error_metadata:details:line)::INTEGER, 0) AS file_row,
      COALESCE(err.error_metadata:error_message::VARCHAR, 'Snowflake error ' || err.error_code) AS message,
      COALESCE(AS_VARCHAR(err.error_data:"$1"), TO_JSON(err.error_data:"$1"), TO_JSON(err.error_data)) AS line
    FROM ERROR_TABLE(raw.rejected_events) err
    WHERE err.error_metadata:service::VARCHAR = 'snowpipe'
  ) err_line)
  ) le
  WHERE le.error_at >= CAST(? AS TIMESTAMP_NTZ)
  QUALIFY ROW_NUMBER() OVER (PARTITION BY le.file_name, le.file_row, le.line ORDER BY le.error_at) = 1
) e
WHERE NOT EXISTS (
  SELECT 1
  FROM raw.rejected_events j
  WHERE j.loaded_at >= CAST(? AS TIMESTAMP_NTZ)
    AND j.reason_code = 'UNLOADABLE_LINE'
    AND j.file_name = e.file_name
    AND j.file_row = e.file_row
    AND j.raw_record = e.raw_record
);
