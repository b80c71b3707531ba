-- The console's lineage view: which loads fed which model run (ops.model_runs), and the raw rows by event,
-- schema version and validator build.

-- @statement runs
-- The latest max_runs runs that finished in [from_ts, until_ts), found by their fact model's row (every
-- transform, backfill and rebuild runs it; an erasure runs its own model instead), one row per model of
-- each; the raw files (loads) only on the fact model's row, which read them (every model fed by it
-- reports the same).
WITH recent AS (
  SELECT m.run_id
  FROM ops.model_runs m
  WHERE m.finished_at >= CAST(? AS TIMESTAMP_NTZ)
    AND m.finished_at < CAST(? AS TIMESTAMP_NTZ)
    AND m.model_name IN (CAST(? AS VARCHAR), CAST(? AS VARCHAR))
  QUALIFY ROW_NUMBER() OVER (ORDER BY m.finished_at DESC, m.run_id) <= CAST(? AS INTEGER)
)
SELECT
  m.run_id,
  m.model_name,
  m.mode,
  m.status,
  m.started_at,
  m.finished_at,
  m.duration_ms,
  m.rows_read,
  m.rows_written,
  CASE WHEN m.model_name = CAST(? AS VARCHAR) THEN m.loads END AS loads,
  m.error
FROM ops.model_runs m
JOIN recent r ON r.run_id = m.run_id
ORDER BY m.started_at DESC, m.run_id, m.model_name;

-- @statement rows_by_build
-- Raw rows loaded in [from_ts, until_ts), up to the fact's watermark, per event name, schema version and
-- validator build. Grouped by the lineage document first (a handful per build), so its field is read once
-- per group, not once per row.
SELECT
  b.event_name,
  b.schema_version,
  b.lineage:validator_build::VARCHAR AS validator_build,
  SUM(b.events) AS events,
  MIN(b.first_loaded_at) AS first_loaded_at,
  MAX(b.last_loaded_at) AS last_loaded_at
FROM (
  SELECT r.event_name, r.schema_version, r.lineage, COUNT(*) AS events, MIN(r.loaded_at) AS first_loaded_at,
    MAX(r.loaded_at) AS last_loaded_at
  FROM raw.events r
  WHERE r.loaded_at >= CAST(? AS TIMESTAMP_NTZ)
    AND r.loaded_at < CAST(? AS TIMESTAMP_NTZ)
    AND r.loaded_at <= (SELECT w.loaded_at_watermark FROM ops.watermarks w WHERE w.model_name = 'fct_feature_events')
  GROUP BY r.event_name, r.schema_version, r.lineage
) b
GROUP BY b.event_name, b.schema_version, b.lineage:validator_build::VARCHAR
ORDER BY events DESC, b.event_name, b.schema_version;
