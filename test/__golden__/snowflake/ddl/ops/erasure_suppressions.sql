-- Events of erased users that arrived after their erasure, counted: at staging by the fact model (stage
-- 'staging', each raw row once, by the run that first kept it out: ops.erasure_staged_rows) or by the
-- daily sweep (stage 'sweep', removed through a new or open request). Key: (stage, run_id, subject_hash).
CREATE TABLE IF NOT EXISTS ops.erasure_suppressions (
  suppressed_at TIMESTAMP_NTZ NOT NULL,
  stage VARCHAR NOT NULL,
  run_id VARCHAR NOT NULL,
  subject_hash VARCHAR NOT NULL,
  events BIGINT NOT NULL,
  request_id VARCHAR
);
