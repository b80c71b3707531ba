-- Every raw object an erasure rewrote or deleted, with the lines it removed: recorded 'pending' before the
-- object is written and 'done' once its old versions are purged, so a crash in between is finished on resume
-- and no count is lost. Object keys hold no personal data. Key: (request_id, object_key, recorded_at).
CREATE TABLE IF NOT EXISTS ops.erasure_objects (
  request_id VARCHAR NOT NULL,
  object_key VARCHAR NOT NULL,
  action VARCHAR NOT NULL,
  lines_read BIGINT NOT NULL,
  lines_removed BIGINT NOT NULL,
  status VARCHAR NOT NULL,
  old_versions_purged BIGINT,
  recorded_at TIMESTAMP_NTZ NOT NULL,
  done_at TIMESTAMP_NTZ
);
