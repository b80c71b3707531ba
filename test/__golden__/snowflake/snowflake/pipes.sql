-- Tally on Snowflake, part 3 of 3 (part 2 is sql/ddl/, the tables every dialect shares): the stage over the
-- raw bucket and one auto-ingest pipe per prefix. Each COPY fills the same columns as the local loader
-- (sql/loads/raw_*.sql); file_name is the object key (`events/dt=.../hr=.../...json.gz`) because the stage
-- sits at the bucket root. Timestamps become UTC TIMESTAMP_NTZ whatever offset the line carries.
-- A bad line never takes its file with it: the pipes load every other line (ON_ERROR = CONTINUE, where the
-- default SKIP_FILE skips the whole file), and the tables' error logging keeps the line Snowpipe rejects,
-- which the quality job copies into raw.rejected_events as UNLOADABLE_LINE (sql/loads/unloadable_lines.sql).
-- Handshake step 3: SHOW PIPES gives notification_channel (the same queue for both pipes) for
-- tally:snowpipeQueueArn; redeploy and new files start loading.

-- @statement events_error_logging
-- Rows a load rejects go to the table's error table (ERROR_TABLE(raw.events)) instead of nowhere.
ALTER TABLE raw.events SET ERROR_LOGGING = TRUE;

-- @statement rejected_error_logging
ALTER TABLE raw.rejected_events SET ERROR_LOGGING = TRUE;

-- @statement create_file_format
CREATE FILE FORMAT IF NOT EXISTS raw.ndjson_gzip TYPE = JSON COMPRESSION = GZIP
  COMMENT = 'Firehose output: gzip NDJSON, one event per line';

-- @statement create_stage
CREATE STAGE IF NOT EXISTS raw.landing
  URL = 's3://&{bucket}/' STORAGE_INTEGRATION = &{integration} FILE_FORMAT = raw.ndjson_gzip
  COMMENT = 'Tally raw bucket; pipes read events/ and rejected/';

-- @statement create_events_pipe
CREATE PIPE IF NOT EXISTS raw.events_pipe AUTO_INGEST = TRUE
  COMMENT = 'Loads every events/ file Firehose writes into raw.events, once'
AS
COPY INTO raw.events (
  dedup_key, event_id, event_name, schema_version, occurred_at, sent_at, received_at, event_ts,
  user_id, anonymous_id, workspace_id, feature_id, feature_known, platform, app_version, locale,
  source_id, intake, call_type, lineage, payload, file_name, file_row, loaded_at
)
FROM (
  SELECT
    $1:dedup_key::VARCHAR,
    $1:event_id::VARCHAR,
    $1:event_name::VARCHAR,
    $1:schema_version::VARCHAR,
    CONVERT_TIMEZONE('UTC', $1:occurred_at::TIMESTAMP_TZ)::TIMESTAMP_NTZ,
    CONVERT_TIMEZONE('UTC', $1:sent_at::TIMESTAMP_TZ)::TIMESTAMP_NTZ,
    CONVERT_TIMEZONE('UTC', $1:received_at::TIMESTAMP_TZ)::TIMESTAMP_NTZ,
    CONVERT_TIMEZONE('UTC', $1:event_ts::TIMESTAMP_TZ)::TIMESTAMP_NTZ,
    $1:user_id::VARCHAR,
    $1:anonymous_id::VARCHAR,
    $1:workspace_id::VARCHAR,
    $1:feature_id::VARCHAR,
    $1:feature_known::BOOLEAN,
    $1:platform::VARCHAR,
    $1:app_version::VARCHAR,
    $1:locale::VARCHAR,
    $1:source_id::VARCHAR,
    $1:intake::VARCHAR,
    $1:call::VARCHAR,
    $1:lineage,
    $1:payload,
    METADATA$FILENAME,
    METADATA$FILE_ROW_NUMBER,
    SYSDATE()
  FROM @raw.landing/events/
)
PATTERN = '.*[.]json[.]gz'
ON_ERROR = CONTINUE;

-- @statement create_rejected_pipe
CREATE PIPE IF NOT EXISTS raw.rejected_pipe AUTO_INGEST = TRUE
  COMMENT = 'Loads every rejected/ file Firehose writes into raw.rejected_events, once'
AS
COPY INTO raw.rejected_events (
  reason_code, reason_message, reason_path, reason_keyword, source_id, received_at, request_id, intake,
  event_name, event_id, workspace_id, user_id, raw_record, lineage, file_name, file_row, loaded_at
)
FROM (
  SELECT
    $1:reason.code::VARCHAR,
    $1:reason.message::VARCHAR,
    $1:reason.path::VARCHAR,
    $1:reason.keyword::VARCHAR,
    $1:source_id::VARCHAR,
    CONVERT_TIMEZONE('UTC', $1:received_at::TIMESTAMP_TZ)::TIMESTAMP_NTZ,
    $1:request_id::VARCHAR,
    $1:intake::VARCHAR,
    $1:event_name::VARCHAR,
    $1:event_id::VARCHAR,
    $1:workspace_id::VARCHAR,
    $1:user_id::VARCHAR,
    $1:raw_record::VARCHAR,
    $1:lineage,
    METADATA$FILENAME,
    METADATA$FILE_ROW_NUMBER,
    SYSDATE()
  FROM @raw.landing/rejected/
)
PATTERN = '.*[.]json[.]gz'
ON_ERROR = CONTINUE;

-- @statement show_pipes
SHOW PIPES IN SCHEMA raw;
