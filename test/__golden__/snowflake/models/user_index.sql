-- curated.user_index: the raw rows a run reads (loaded_at in (loaded_after, loaded_until]), folded per user,
-- anonymous id (both as SHA-1 hashes), workspace and month of their (clamped) event date and merged in: the
-- first and last event day, receipt and load time widen. Rows with neither a user id nor an anonymous id
-- name no one and are not indexed. Suppressed rows of erased users are indexed too: they stay in raw until
-- the erasure sweep erases them, which finds their days here. The first run (or a rebuild) folds every raw
-- row the same way.

-- @statement merge_window
MERGE INTO curated.user_index AS t
USING (
  SELECT
    r.user_key_hash, r.user_id_hash, r.anonymous_id_hash, r.workspace_key,
    CAST(DATE_TRUNC('MONTH', r.event_date) AS DATE) AS month_start,
    MIN(r.event_date) AS first_event_date,
    MAX(r.event_date) AS last_event_date,
    MIN(r.received_at) AS first_received_at,
    MAX(r.received_at) AS last_received_at,
    MIN(r.loaded_at) AS first_loaded_at,
    MAX(r.loaded_at) AS last_loaded_at
  FROM (
    SELECT
      SHA1(COALESCE(e.user_id, 'anon:' || e.anonymous_id)) AS user_key_hash,
      COALESCE(SHA1(e.user_id), '') AS user_id_hash,
      COALESCE(SHA1(e.anonymous_id), '') AS anonymous_id_hash,
      COALESCE(e.workspace_id, '(none)') AS workspace_key,
      CAST(LEAST(e.event_ts, DATEADD(MINUTE, ?, e.received_at)) AS DATE) AS event_date,
      e.received_at,
      e.loaded_at
    FROM raw.events e
    WHERE e.loaded_at > CAST(? AS TIMESTAMP_NTZ)
  AND e.loaded_at <= CAST(? AS TIMESTAMP_NTZ)
      AND (e.user_id IS NOT NULL OR e.anonymous_id IS NOT NULL)
  ) r
  GROUP BY
    r.user_key_hash, r.user_id_hash, r.anonymous_id_hash, r.workspace_key,
    CAST(DATE_TRUNC('MONTH', r.event_date) AS DATE)
) AS s
ON t.user_key_hash = s.user_key_hash
  AND t.user_id_hash = s.user_id_hash
  AND t.anonymous_id_hash = s.anonymous_id_hash
  AND t.workspace_key = s.workspace_key
  AND t.month_start = s.month_start
WHEN MATCHED THEN UPDATE SET
  first_event_date = LEAST(t.first_event_date, s.first_event_date),
  last_event_date = GREATEST(t.last_event_date, s.last_event_date),
  first_received_at = LEAST(t.first_received_at, s.first_received_at),
  last_received_at = GREATEST(t.last_received_at, s.last_received_at),
  first_loaded_at = LEAST(t.first_loaded_at, s.first_loaded_at),
  last_loaded_at = GREATEST(t.last_loaded_at, s.last_loaded_at)
WHEN NOT MATCHED THEN INSERT (
  user_key_hash, user_id_hash, anonymous_id_hash, workspace_key, month_start, first_event_date,
  last_event_date, first_received_at, last_received_at, first_loaded_at, last_loaded_at
) VALUES (
  s.user_key_hash, s.user_id_hash, s.anonymous_id_hash, s.workspace_key, s.month_start, s.first_event_date,
  s.last_event_date, s.first_received_at, s.last_received_at, s.first_loaded_at, s.last_loaded_at
);

-- @statement delete_all
DELETE FROM curated.user_index;

-- @statement recompute_range
-- The fact days of the users whose rows a run recomputes (replaced copies, forced keys): the bounds of the
-- last-seen models' recompute.
SELECT MIN(i.first_event_date) AS days_from, MAX(i.last_event_date) AS days_to
FROM curated.user_index i
JOIN (SELECT DISTINCT d.workspace_key, d.user_key FROM work.fct_delta d
  WHERE d.change <> 'insert' AND d.user_key IS NOT NULL) AS k ON i.user_key_hash = SHA1(k.user_key);
