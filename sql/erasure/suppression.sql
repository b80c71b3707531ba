-- Suppression at staging: raw rows of erased users are kept out of curated.fct_feature_events and counted.
-- Before its stage statement, in the same transaction, the fact model (sql/models/fct_feature_events.sql)
-- runs mark_staged, which records in ops.erasure_staged_rows the window's raw rows matching the
-- suppression list (ops.erased_users) and not recorded yet, then record_staged, which counts them per
-- erased id; stage then drops every recorded row. A row read again (the window's overlap, a backfill, a
-- rebuild) is dropped again but counted once.
--
-- The rule, in mark_staged's join: a row with a user id matches a 'user' entry of its hash; a row without
-- one matches an 'anonymous' entry of its anonymous id's hash (an anonymous id on another user's event
-- stays); a workspace entry matches that workspace only. Equality on id_hash makes it a hash join with
-- the rest as a filter in both warehouses; stage joins only on (file_name, file_row), as an outer join on
-- this condition is a nested loop in DuckDB.
--
-- The rows stay in raw.events until the daily erasure sweep removes them (and their raw objects) through a
-- request; that erasure's warehouse step then runs forget_erased_rows.

-- @statement mark_staged
INSERT INTO ops.erasure_staged_rows (file_name, file_row, subject_hash, run_id, suppressed_at)
SELECT DISTINCT
  r.file_name,
  r.file_row,
  e.id_hash,
  CAST({{ param('run_id') }} AS VARCHAR),
  CAST({{ param('suppressed_at') }} AS {{ type_ts }})
FROM raw.events r
JOIN ops.erased_users e
  ON e.id_hash = SHA1(COALESCE(r.user_id, r.anonymous_id))
  AND e.id_kind = CASE WHEN r.user_id IS NULL THEN 'anonymous' ELSE 'user' END
  AND (e.workspace_id IS NULL OR e.workspace_id = r.workspace_id)
WHERE {{ unstaged_window_row('r') }};

-- @statement record_staged
-- The rows mark_staged recorded in this run, counted per erased id.
INSERT INTO ops.erasure_suppressions (suppressed_at, stage, run_id, subject_hash, events, request_id)
SELECT s.suppressed_at, 'staging', s.run_id, s.subject_hash, COUNT(*), CAST(NULL AS VARCHAR)
FROM ops.erasure_staged_rows s
WHERE s.run_id = {{ param('run_id') }}
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
