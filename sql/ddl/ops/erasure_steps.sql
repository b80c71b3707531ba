-- The audit log of erasure requests: one row per step run (succeeded or failed), with its outcome (counts,
-- never ids). Key: (request_id, step, started_at).
CREATE TABLE IF NOT EXISTS ops.erasure_steps (
  request_id VARCHAR NOT NULL,
  step VARCHAR NOT NULL,
  attempt INTEGER NOT NULL,
  started_at {{ type_ts }} NOT NULL,
  finished_at {{ type_ts }} NOT NULL,
  status VARCHAR NOT NULL,
  outcome {{ type_json }},
  error VARCHAR
);
