-- Logging model runs (ops.model_runs).

-- @statement insert
INSERT INTO ops.model_runs (
  run_id, model_name, mode, status, started_at, finished_at, duration_ms, rows_read, rows_written,
  watermark_from, watermark_to, range_from, range_to, loads, error
)
SELECT
  CAST({{ param('run_id') }} AS VARCHAR),
  CAST({{ param('model_name') }} AS VARCHAR),
  CAST({{ param('mode') }} AS VARCHAR),
  CAST({{ param('status') }} AS VARCHAR),
  CAST({{ param('started_at') }} AS {{ type_ts }}),
  CAST({{ param('finished_at') }} AS {{ type_ts }}),
  CAST({{ param('duration_ms') }} AS BIGINT),
  CAST({{ param('rows_read') }} AS BIGINT),
  CAST({{ param('rows_written') }} AS BIGINT),
  CAST({{ param('watermark_from') }} AS {{ type_ts }}),
  CAST({{ param('watermark_to') }} AS {{ type_ts }}),
  CAST({{ param('range_from') }} AS DATE),
  CAST({{ param('range_to') }} AS DATE),
  {{ json_parse(param('loads')) }},
  CAST({{ param('error') }} AS VARCHAR);
