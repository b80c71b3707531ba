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
SELECT x.id_kind, x.id, x.scope, COUNT(*) AS events
FROM (
  SELECT e.id_kind, r.user_id AS id, e.workspace_id AS scope
  FROM raw.events r
  JOIN ops.erased_users e ON e.id_kind = 'user' AND e.id_hash = SHA1(r.user_id)
  WHERE r.loaded_at > CAST({{ param('loaded_after') }} AS {{ type_ts }})
    AND r.loaded_at <= CAST({{ param('loaded_until') }} AS {{ type_ts }})
    AND (e.workspace_id IS NULL OR e.workspace_id = r.workspace_id)
  UNION ALL
  SELECT e.id_kind, r.anonymous_id AS id, e.workspace_id AS scope
  FROM raw.events r
  JOIN ops.erased_users e ON e.id_kind = 'anonymous' AND e.id_hash = SHA1(r.anonymous_id)
  WHERE r.user_id IS NULL
    AND r.loaded_at > CAST({{ param('loaded_after') }} AS {{ type_ts }})
    AND r.loaded_at <= CAST({{ param('loaded_until') }} AS {{ type_ts }})
    AND (e.workspace_id IS NULL OR e.workspace_id = r.workspace_id)
  UNION ALL
  SELECT e.id_kind, j.user_id AS id, e.workspace_id AS scope
  FROM raw.rejected_events j
  JOIN ops.erased_users e ON e.id_kind = 'user' AND e.id_hash = SHA1(j.user_id)
  WHERE j.loaded_at > CAST({{ param('loaded_after') }} AS {{ type_ts }})
    AND j.loaded_at <= CAST({{ param('loaded_until') }} AS {{ type_ts }})
    AND (e.workspace_id IS NULL OR j.workspace_id IS NULL OR e.workspace_id = j.workspace_id)
) x
GROUP BY x.id_kind, x.id, x.scope
ORDER BY x.id_kind, x.id;

-- @statement record_sweep
INSERT INTO ops.erasure_sweeps (run_id, swept_at, loaded_after, loaded_until, subjects_found, events_found)
SELECT
  CAST({{ param('run_id') }} AS VARCHAR),
  CAST({{ param('swept_at') }} AS {{ type_ts }}),
  CAST({{ param('loaded_after') }} AS {{ type_ts }}),
  CAST({{ param('loaded_until') }} AS {{ type_ts }}),
  CAST({{ param('subjects_found') }} AS BIGINT),
  CAST({{ param('events_found') }} AS BIGINT);

-- @statement record_suppression
INSERT INTO ops.erasure_suppressions (suppressed_at, stage, run_id, subject_hash, events, request_id)
SELECT
  CAST({{ param('suppressed_at') }} AS {{ type_ts }}),
  'sweep',
  CAST({{ param('run_id') }} AS VARCHAR),
  CAST({{ param('subject_hash') }} AS VARCHAR),
  CAST({{ param('events') }} AS BIGINT),
  CAST({{ param('request_id') }} AS VARCHAR);
