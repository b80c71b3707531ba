-- One row per model per run (succeeded, or failed with its error), with rows read and written, the
-- watermark interval or backfill range, and lineage: the raw files (loads) that fed it.
CREATE TABLE IF NOT EXISTS ops.model_runs (
  run_id VARCHAR NOT NULL,
  model_name VARCHAR NOT NULL,
  mode VARCHAR NOT NULL,
  status VARCHAR NOT NULL,
  started_at TIMESTAMP_NTZ NOT NULL,
  finished_at TIMESTAMP_NTZ NOT NULL,
  duration_ms BIGINT NOT NULL,
  rows_read BIGINT NOT NULL,
  rows_written BIGINT NOT NULL,
  watermark_from TIMESTAMP_NTZ,
  watermark_to TIMESTAMP_NTZ,
  range_from DATE,
  range_to DATE,
  loads VARIANT,
  error VARCHAR
) CLUSTER BY (started_at);
