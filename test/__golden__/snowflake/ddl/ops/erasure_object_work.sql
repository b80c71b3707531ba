-- The raw objects an erasure request hands out one at a time (fanned out through a queue on AWS): one row
-- per (request, object), its own cursor. queued: a worker has yet to finish it; done: rewritten (or found
-- clean), its old versions purged. linked_ids and mention_keys: what the object showed of the user (a JSON
-- array of {"id": ...}), merged into the request once every object is done. pass: the request's pass over its
-- objects; a linked anonymous id found by a pass queues every object again for the next one.
CREATE TABLE IF NOT EXISTS ops.erasure_object_work (
  request_id VARCHAR NOT NULL,
  object_key VARCHAR NOT NULL,
  pass INTEGER NOT NULL,
  status VARCHAR NOT NULL,
  lines_removed BIGINT,
  linked_ids VARIANT,
  mention_keys VARIANT,
  attempts INTEGER NOT NULL,
  queued_at TIMESTAMP_NTZ NOT NULL,
  done_at TIMESTAMP_NTZ
);
