-- The audit log of erasure requests: one row per step run (succeeded or failed), with its outcome (counts,
-- never ids). Key: (request_id, step, started_at).
CREATE TABLE IF NOT EXISTS ops.erasure_steps (
  request_id VARCHAR NOT NULL,
  step VARCHAR NOT NULL,
  attempt INTEGER NOT NULL,
  started_at TIMESTAMP_NTZ NOT NULL,
  finished_at TIMESTAMP_NTZ NOT NULL,
  status VARCHAR NOT NULL,
  outcome VARIANT,
  error VARCHAR
);
