-- The raw objects a verification pass searches one at a time (fanned out through the objects' queue on AWS),
-- changing nothing: one row per (request, verify_pass, object). verify_pass is the request's attempts when
-- the pass began (a pass that finds something left sends the request back and the next pass counts anew).
-- queued: a worker has yet to search it; done: searched, lines_found the subject's lines it still holds
-- (object_found false when the object was gone). Object keys hold no personal data.
CREATE TABLE IF NOT EXISTS ops.erasure_verify_work (
  request_id VARCHAR NOT NULL,
  verify_pass INTEGER NOT NULL,
  object_key VARCHAR NOT NULL,
  status VARCHAR NOT NULL,
  object_found BOOLEAN,
  lines_found BIGINT,
  attempts INTEGER NOT NULL,
  queued_at {{ type_ts }} NOT NULL,
  done_at {{ type_ts }}
);
