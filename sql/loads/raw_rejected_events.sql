-- Inserts a chunk of one rejected file into raw.rejected_events. rows: a JSON array of RejectedLines with
-- received_at normalised to UTC `YYYY-MM-DD HH:MM:SS.mmm` and the line number under `_row`.
INSERT INTO raw.rejected_events (
  reason_code, reason_message, reason_path, reason_keyword, source_id, received_at, request_id, intake,
  event_name, event_id, workspace_id, user_id, raw_record, lineage, file_name, file_row, loaded_at
)
SELECT
  {{ json_columns('v.value', '
    reason.code, reason.message, reason.path, reason.keyword, source_id, received_at ts, request_id, intake,
    event_name, event_id, workspace_id, user_id, raw_record, lineage json') }},
  CAST({{ param('file_name') }} AS VARCHAR),
  CAST({{ json_str('v.value', '_row') }} AS INTEGER),
  CAST({{ param('loaded_at') }} AS {{ type_ts }})
FROM {{ json_rows(param('rows')) }} AS v;
