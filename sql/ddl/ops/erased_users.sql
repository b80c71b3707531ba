-- The suppression list: ids whose events are dropped when they arrive after their erasure. Holds SHA-1
-- hashes, never ids (id_hash = SHA1(id), computed the same way in both warehouses and in node:crypto).
-- id_kind: 'user' (matches user_id) or 'anonymous' (matches anonymous_id of events without a user_id);
-- workspace_id limits it to one workspace, NULL to all. Key: (id_hash, id_kind, workspace_id).
-- Part of the warehouse DDL: the fact model reads it at every run (sql/erasure/suppression.sql); the
-- erasure (sql/erasure/erased_users.sql) and its sweep fill and read it.
CREATE TABLE IF NOT EXISTS ops.erased_users (
  id_hash VARCHAR NOT NULL,
  id_kind VARCHAR NOT NULL,
  workspace_id VARCHAR,
  request_id VARCHAR NOT NULL,
  erased_at {{ type_ts }} NOT NULL
);
