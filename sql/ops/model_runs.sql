-- Logging model runs (ops.model_runs): a run's records in one statement. runs: a JSON array of
-- { run_id, model_name, mode, status, started_at, finished_at (UTC 'YYYY-MM-DD HH:MM:SS.mmm'), duration_ms,
--   rows_read, rows_written, watermark_from, watermark_to (timestamps or null), range_from, range_to
--   ('YYYY-MM-DD' or null), loads (array of file names), error (text or null) }.

-- @statement insert
INSERT INTO ops.model_runs (
  run_id, model_name, mode, status, started_at, finished_at, duration_ms, rows_read, rows_written,
  watermark_from, watermark_to, range_from, range_to, loads, error
)
SELECT
  {{ json_str('r.value', 'run_id') }},
  {{ json_str('r.value', 'model_name') }},
  {{ json_str('r.value', 'mode') }},
  {{ json_str('r.value', 'status') }},
  CAST({{ json_str('r.value', 'started_at') }} AS {{ type_ts }}),
  CAST({{ json_str('r.value', 'finished_at') }} AS {{ type_ts }}),
  CAST({{ json_str('r.value', 'duration_ms') }} AS BIGINT),
  CAST({{ json_str('r.value', 'rows_read') }} AS BIGINT),
  CAST({{ json_str('r.value', 'rows_written') }} AS BIGINT),
  CAST({{ json_str('r.value', 'watermark_from') }} AS {{ type_ts }}),
  CAST({{ json_str('r.value', 'watermark_to') }} AS {{ type_ts }}),
  CAST({{ json_str('r.value', 'range_from') }} AS DATE),
  CAST({{ json_str('r.value', 'range_to') }} AS DATE),
  {{ json_get('r.value', 'loads') }},
  {{ json_str('r.value', 'error') }}
FROM {{ json_rows(param('runs')) }} AS r;
