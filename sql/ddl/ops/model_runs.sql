-- One row per model per run (succeeded, or failed with its error), with rows read and written, the
-- watermark interval or backfill range, and lineage: the raw files (loads) that fed it.
CREATE TABLE IF NOT EXISTS ops.model_runs (
  run_id VARCHAR NOT NULL,
  model_name VARCHAR NOT NULL,
  mode VARCHAR NOT NULL,
  status VARCHAR NOT NULL,
  started_at {{ type_ts }} NOT NULL,
  finished_at {{ type_ts }} NOT NULL,
  duration_ms BIGINT NOT NULL,
  rows_read BIGINT NOT NULL,
  rows_written BIGINT NOT NULL,
  watermark_from {{ type_ts }},
  watermark_to {{ type_ts }},
  range_from DATE,
  range_to DATE,
  loads {{ type_json }},
  error VARCHAR
){{ cluster_by('started_at') }};
