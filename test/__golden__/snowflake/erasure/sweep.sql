-- The daily sweep for events of erased users loaded after their erasure (late or queued events): raw rows
-- whose SHA-1 of user_id (or, without one, of anonymous_id) is on the suppression list, in loads after the
-- last sweep. Each id found is erased again through a request; ids come from the rows, not from the list.

-- @statement last_loaded_until
SELECT MAX(s.loaded_until) AS loaded_until FROM ops.erasure_sweeps s;

-- @statement newest_load
SELECT MAX(l.loaded_at) AS loaded_at
FROM (
  SELECT MAX(r.loaded_at) AS loaded_at FROM raw.events r
  UNION ALL
  SELECT MAX(j.loaded_at) AS loaded_at FROM raw.rejected_events j
) l;

-- @statement late_subjects
-- A row is found by its user_id, or, without one, by its anonymous id (rejected rows: by user_id only), and
-- only where the erasure's workspace scope holds it: a rejected row without a workspace is held by any scope.
SELECT e.id_kind, l.id, e.workspace_id AS scope, COUNT(*) AS events
FROM (
  SELECT
    CASE WHEN r.user_id IS NULL THEN 'anonymous' ELSE 'user' END AS id_kind,
    COALESCE(r.user_id, r.anonymous_id) AS id,
    r.workspace_id,
    FALSE AS any_scope
  FROM raw.events r
  WHERE r.loaded_at > CAST(? AS TIMESTAMP_NTZ)
  AND r.loaded_at <= CAST(? AS TIMESTAMP_NTZ)
  UNION ALL
  SELECT 'user' AS id_kind, j.user_id AS id, j.workspace_id, j.workspace_id IS NULL AS any_scope
  FROM raw.rejected_events j
  WHERE j.loaded_at > CAST(? AS TIMESTAMP_NTZ)
  AND j.loaded_at <= CAST(? AS TIMESTAMP_NTZ)
) l
JOIN ops.erased_users e ON e.id_kind = l.id_kind AND e.id_hash = SHA1(l.id)
WHERE e.workspace_id IS NULL OR l.any_scope OR e.workspace_id = l.workspace_id
GROUP BY e.id_kind, l.id, e.workspace_id
ORDER BY e.id_kind, l.id;

-- @statement record_sweep
INSERT INTO ops.erasure_sweeps (run_id, swept_at, loaded_after, loaded_until, subjects_found, events_found)
SELECT CAST(? AS VARCHAR),
  CAST(? AS TIMESTAMP_NTZ),
  CAST(? AS TIMESTAMP_NTZ),
  CAST(? AS TIMESTAMP_NTZ),
  CAST(? AS BIGINT),
  CAST(? AS BIGINT);

-- @statement record_suppression
INSERT INTO ops.erasure_suppressions (suppressed_at, stage, run_id, subject_hash, events, request_id)
SELECT
  CAST(? AS TIMESTAMP_NTZ),
  'sweep',
  CAST(? AS VARCHAR),
  CAST(? AS VARCHAR),
  CAST(? AS BIGINT),
  CAST(? AS VARCHAR);
