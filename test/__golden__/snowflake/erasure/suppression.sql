-- Suppression at staging: raw rows of erased users are kept out of curated.fct_feature_events and counted.
-- The fact model's stage statement (sql/models/fct_feature_events.sql) drops every raw row matching the
-- suppression list (ops.erased_users) with this join condition, the one mark_staged uses:
--
--   e.id_hash = SHA1(COALESCE(r.user_id, r.anonymous_id))
--   AND e.id_kind = CASE WHEN r.user_id IS NULL THEN 'anonymous' ELSE 'user' END
--   AND (e.workspace_id IS NULL OR e.workspace_id = r.workspace_id)
--
-- that is: a row with a user id matches a 'user' entry of its hash; a row without one matches an
-- 'anonymous' entry of its anonymous id's hash (an anonymous id on another user's event stays); a workspace
-- entry matches that workspace only. Equality on id_hash keeps it a hash join in both warehouses.
-- Before stage, in the same transaction, mark_staged records the window's matching rows not recorded yet
-- and record_staged counts them per erased id, so a row read again (the window's overlap, a backfill, a
-- rebuild) is counted once. The rows stay in raw.events until the daily erasure sweep removes them (and
-- their raw objects) through a request; that erasure's warehouse step then runs forget_erased_rows.

-- @statement mark_staged
INSERT INTO ops.erasure_staged_rows (file_name, file_row, subject_hash, run_id, suppressed_at)
SELECT DISTINCT
  r.file_name,
  r.file_row,
  e.id_hash,
  CAST(? AS VARCHAR),
  CAST(? AS TIMESTAMP_NTZ)
FROM raw.events r
JOIN ops.erased_users e
  ON e.id_hash = SHA1(COALESCE(r.user_id, r.anonymous_id))
  AND e.id_kind = CASE WHEN r.user_id IS NULL THEN 'anonymous' ELSE 'user' END
  AND (e.workspace_id IS NULL OR e.workspace_id = r.workspace_id)
WHERE r.loaded_at > CAST(? AS TIMESTAMP_NTZ)
  AND r.loaded_at <= CAST(? AS TIMESTAMP_NTZ)
  AND r.event_ts >= CAST(? AS TIMESTAMP_NTZ)
  AND r.event_ts < CAST(? AS TIMESTAMP_NTZ)
  AND NOT EXISTS (
    SELECT 1 FROM ops.erasure_staged_rows s
    WHERE s.file_name = r.file_name
      AND s.file_row = r.file_row
  );

-- @statement record_staged
-- The rows mark_staged recorded in this run, counted per erased id.
INSERT INTO ops.erasure_suppressions (suppressed_at, stage, run_id, subject_hash, events, request_id)
SELECT s.suppressed_at, 'staging', s.run_id, s.subject_hash, COUNT(*), CAST(NULL AS VARCHAR)
FROM ops.erasure_staged_rows s
WHERE s.run_id = ?
GROUP BY s.suppressed_at, s.run_id, s.subject_hash;

-- @statement forget_erased_rows
-- Recorded rows whose raw row is gone (erased, or past the raw retention): never read again, so never
-- counted again.
DELETE FROM ops.erasure_staged_rows
WHERE NOT EXISTS (
  SELECT 1 FROM raw.events r
  WHERE r.file_name = erasure_staged_rows.file_name
    AND r.file_row = erasure_staged_rows.file_row
);
