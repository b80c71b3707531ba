-- Inserts a chunk of one events file into raw.events. rows: a JSON array of ValidatedLines with their
-- timestamps already normalised to UTC `YYYY-MM-DD HH:MM:SS.mmm` and the line number under `_row`. A line
-- without `planned` (written before tracking plans) is planned.
INSERT INTO raw.events (
  dedup_key, event_id, event_name, schema_version, occurred_at, sent_at, received_at, event_ts,
  user_id, anonymous_id, workspace_id, feature_id, feature_known, platform, app_version, locale,
  source_id, intake, call_type, lineage, payload, file_name, file_row, loaded_at, planned
)
SELECT
  {{ json_str('v.value', 'dedup_key') }},
  {{ json_str('v.value', 'event_id') }},
  {{ json_str('v.value', 'event_name') }},
  {{ json_str('v.value', 'schema_version') }},
  CAST({{ json_str('v.value', 'occurred_at') }} AS {{ type_ts }}),
  CAST({{ json_str('v.value', 'sent_at') }} AS {{ type_ts }}),
  CAST({{ json_str('v.value', 'received_at') }} AS {{ type_ts }}),
  CAST({{ json_str('v.value', 'event_ts') }} AS {{ type_ts }}),
  {{ json_str('v.value', 'user_id') }},
  {{ json_str('v.value', 'anonymous_id') }},
  {{ json_str('v.value', 'workspace_id') }},
  {{ json_str('v.value', 'feature_id') }},
  CAST({{ json_str('v.value', 'feature_known') }} AS BOOLEAN),
  {{ json_str('v.value', 'platform') }},
  {{ json_str('v.value', 'app_version') }},
  {{ json_str('v.value', 'locale') }},
  {{ json_str('v.value', 'source_id') }},
  {{ json_str('v.value', 'intake') }},
  {{ json_str('v.value', 'call') }},
  {{ json_get('v.value', 'lineage') }},
  {{ json_get('v.value', 'payload') }},
  CAST({{ param('file_name') }} AS VARCHAR),
  CAST({{ json_str('v.value', '_row') }} AS INTEGER),
  CAST({{ param('loaded_at') }} AS {{ type_ts }}),
  COALESCE(CAST({{ json_str('v.value', 'planned') }} AS BOOLEAN), TRUE)
FROM {{ json_rows(param('rows')) }} AS v;
