-- Raw rows the fact model keeps out at staging because their user is on the suppression list
-- (ops.erased_users), one row each (sql/erasure/suppression.sql): stage drops every row recorded here, and
-- a run counts only the rows it records, so rows read again (the window's overlap, a backfill, a rebuild)
-- are counted once in ops.erasure_suppressions. No ids: the row's place in raw.events and the SHA-1 of its
-- user. The erasure's warehouse step forgets the rows whose raw row is gone. Key: (file_name, file_row).
CREATE TABLE IF NOT EXISTS ops.erasure_staged_rows (
  file_name VARCHAR NOT NULL,
  file_row INTEGER NOT NULL,
  subject_hash VARCHAR NOT NULL,
  run_id VARCHAR NOT NULL,
  suppressed_at {{ type_ts }} NOT NULL
);
