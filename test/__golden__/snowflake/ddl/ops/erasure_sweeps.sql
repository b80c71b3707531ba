-- The sweep for late events of erased users: one row per sweep, the raw loads it covered
-- (loaded_at in (loaded_after, loaded_until]) and what it found. The next sweep starts at the last loaded_until.
CREATE TABLE IF NOT EXISTS ops.erasure_sweeps (
  run_id VARCHAR NOT NULL,
  swept_at TIMESTAMP_NTZ NOT NULL,
  loaded_after TIMESTAMP_NTZ NOT NULL,
  loaded_until TIMESTAMP_NTZ,
  subjects_found BIGINT NOT NULL,
  events_found BIGINT NOT NULL
);
