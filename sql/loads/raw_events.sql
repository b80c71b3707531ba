-- Inserts a chunk of one events file into raw.events. rows: a JSON array of ValidatedLines with their
-- timestamps already normalised to UTC `YYYY-MM-DD HH:MM:SS.mmm` and the line number under `_row`. A line
-- without `planned` (written before tracking plans) is planned.
INSERT INTO raw.events (
  dedup_key, event_id, event_name, schema_version, occurred_at, sent_at, received_at, event_ts,
  user_id, anonymous_id, workspace_id, feature_id, feature_known, platform, app_version, locale,
  source_id, intake, call_type, lineage, payload, file_name, file_row, loaded_at, planned
)
SELECT
  {{ json_columns('v.value', '
    dedup_key, event_id, event_name, schema_version,
    occurred_at ts, sent_at ts, received_at ts, event_ts ts,
    user_id, anonymous_id, workspace_id, feature_id, feature_known boolean,
    platform, app_version, locale, source_id, intake, call, lineage json, payload json') }},
  CAST({{ param('file_name') }} AS VARCHAR),
  CAST({{ json_str('v.value', '_row') }} AS INTEGER),
  CAST({{ param('loaded_at') }} AS {{ type_ts }}),
  COALESCE(CAST({{ json_str('v.value', 'planned') }} AS BOOLEAN), TRUE)
FROM {{ json_rows(param('rows')) }} AS v;
