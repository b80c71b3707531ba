-- Inserts a chunk of one events file into raw.events. rows: a JSON array of ValidatedLines with their
-- timestamps already normalised to UTC `YYYY-MM-DD HH:MM:SS.mmm` and the line number under `_row`. A line
-- without `planned` (written before tracking plans) is planned.
INSERT INTO raw.events (
  dedup_key, event_id, event_name, schema_version, occurred_at, sent_at, received_at, event_ts,
  user_id, anonymous_id, workspace_id, feature_id, feature_known, platform, app_version, locale,
  source_id, intake, call_type, lineage, payload, file_name, file_row, loaded_at, planned
)
SELECT
  v.value:dedup_key::VARCHAR,
  v.value:event_id::VARCHAR,
  v.value:event_name::VARCHAR,
  v.value:schema_version::VARCHAR,
  CAST(v.value:occurred_at::VARCHAR AS TIMESTAMP_NTZ),
  CAST(v.value:sent_at::VARCHAR AS TIMESTAMP_NTZ),
  CAST(v.value:received_at::VARCHAR AS TIMESTAMP_NTZ),
  CAST(v.value:event_ts::VARCHAR AS TIMESTAMP_NTZ),
  v.value:user_id::VARCHAR,
  v.value:anonymous_id::VARCHAR,
  v.value:workspace_id::VARCHAR,
  v.value:feature_id::VARCHAR,
  CAST(v.value:feature_known::VARCHAR AS BOOLEAN),
  v.value:platform::VARCHAR,
  v.value:app_version::VARCHAR,
  v.value:locale::VARCHAR,
  v.value:source_id::VARCHAR,
  v.value:intake::VARCHAR,
  v.value:call::VARCHAR,
  v.value:lineage,
  v.value:payload,
  CAST(? AS VARCHAR),
  CAST(v.value:_row::VARCHAR AS INTEGER),
  CAST(? AS TIMESTAMP_NTZ),
  COALESCE(CAST(v.value:planned::VARCHAR AS BOOLEAN), TRUE)
FROM TABLE(FLATTEN(INPUT => PARSE_JSON(?))) AS v;
