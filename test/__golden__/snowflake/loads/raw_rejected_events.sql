-- Inserts a chunk of one rejected file into raw.rejected_events. rows: a JSON array of RejectedLines with
-- received_at normalised to UTC `YYYY-MM-DD HH:MM:SS.mmm` and the line number under `_row`.
INSERT INTO raw.rejected_events (
  reason_code, reason_message, reason_path, reason_keyword, source_id, received_at, request_id, intake,
  event_name, event_id, workspace_id, user_id, raw_record, lineage, file_name, file_row, loaded_at
)
SELECT
  v.value:reason.code::VARCHAR,
  v.value:reason.message::VARCHAR,
  v.value:reason.path::VARCHAR,
  v.value:reason.keyword::VARCHAR,
  v.value:source_id::VARCHAR,
  CAST(v.value:received_at::VARCHAR AS TIMESTAMP_NTZ),
  v.value:request_id::VARCHAR,
  v.value:intake::VARCHAR,
  v.value:event_name::VARCHAR,
  v.value:event_id::VARCHAR,
  v.value:workspace_id::VARCHAR,
  v.value:user_id::VARCHAR,
  v.value:raw_record::VARCHAR,
  v.value:lineage,
  CAST(? AS VARCHAR),
  CAST(v.value:_row::VARCHAR AS INTEGER),
  CAST(? AS TIMESTAMP_NTZ)
FROM TABLE(FLATTEN(INPUT => PARSE_JSON(?))) AS v;
