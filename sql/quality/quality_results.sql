-- Writes a run's results to ops.quality_results. results: a JSON array of
-- { run_id, checked_at (UTC 'YYYY-MM-DD HH:MM:SS.mmm'), check_name, bucket, severity, status, observed,
--   expected_min, expected_max, offending_keys (array), detail }.
-- @statement insert_results
INSERT INTO ops.quality_results (
  run_id, checked_at, check_name, bucket, severity, status, observed, expected_min, expected_max, offending_keys, detail
)
SELECT
  {{ json_columns('v.value', '
    run_id, checked_at ts, check_name, bucket, severity, status,
    observed double, expected_min double, expected_max double, offending_keys json, detail') }}
FROM {{ json_rows(param('results')) }} AS v;

-- @statement insert_check_runs
-- The run's summary per check (ops.quality_check_runs), from the results just inserted.
INSERT INTO ops.quality_check_runs (
  run_id, checked_at, check_name, severity, status, buckets, failing_buckets, observed_max, observed_abs_total
)
SELECT
  {{ check_run_summary('q') }}
FROM ops.quality_results q
WHERE q.run_id = CAST({{ param('run_id') }} AS VARCHAR)
  AND q.checked_at >= CAST({{ param('checked_from') }} AS {{ type_ts }})
GROUP BY q.run_id, q.check_name;

-- @statement prune
DELETE FROM ops.quality_results
WHERE checked_at < CAST({{ param('keep_after') }} AS {{ type_ts }});

-- @statement prune_check_runs
DELETE FROM ops.quality_check_runs
WHERE checked_at < CAST({{ param('keep_after') }} AS {{ type_ts }});

