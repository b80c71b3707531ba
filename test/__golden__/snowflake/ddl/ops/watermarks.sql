-- One row per model: how far into raw.events (by loaded_at) its output reflects, and for the catalog
-- sync the fingerprint of the catalog it last loaded. Moves only forward, in the run's transaction.
CREATE TABLE IF NOT EXISTS ops.watermarks (
  model_name VARCHAR NOT NULL,
  loaded_at_watermark TIMESTAMP_NTZ,
  state VARCHAR,
  run_id VARCHAR NOT NULL,
  updated_at TIMESTAMP_NTZ NOT NULL
);
