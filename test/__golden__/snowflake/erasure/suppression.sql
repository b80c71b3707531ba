-- Suppression at staging, for the fact model (sql/models/fct_feature_events.sql, statement stage): raw rows of
-- erased users are kept out of curated.fct_feature_events and counted. The stage statement adds this to the
-- WHERE of its inner SELECT over raw.events r:
--
--   AND NOT EXISTS (
--     SELECT 1 FROM ops.erased_users e
--     WHERE ((e.id_kind = 'user' AND e.id_hash = SHA1(r.user_id))
--         OR (e.id_kind = 'anonymous' AND r.user_id IS NULL AND e.id_hash = SHA1(r.anonymous_id)))
--       AND (e.workspace_id IS NULL OR e.workspace_id = r.workspace_id))
--
-- and runs record_staged, with the same window parameters, before it. The rows stay in raw.events until the
-- daily erasure sweep removes them (and their raw objects) through a request. count_kept applies the same
-- predicate, so its behaviour is specified by the erasure's tests.

-- @statement record_staged
INSERT INTO ops.erasure_suppressions (suppressed_at, stage, run_id, subject_hash, events, request_id)
SELECT
  CAST(? AS TIMESTAMP_NTZ),
  'staging',
  CAST(? AS VARCHAR),
  e.id_hash,
  COUNT(*),
  CAST(NULL AS VARCHAR)
FROM raw.events r
JOIN ops.erased_users e
  ON ((e.id_kind = 'user' AND e.id_hash = SHA1(r.user_id))
      OR (e.id_kind = 'anonymous' AND r.user_id IS NULL AND e.id_hash = SHA1(r.anonymous_id)))
    AND (e.workspace_id IS NULL OR e.workspace_id = r.workspace_id)
WHERE r.loaded_at > CAST(? AS TIMESTAMP_NTZ)
  AND r.loaded_at <= CAST(? AS TIMESTAMP_NTZ)
  AND r.event_ts >= CAST(? AS TIMESTAMP_NTZ)
  AND r.event_ts < CAST(? AS TIMESTAMP_NTZ)
GROUP BY e.id_hash;

-- @statement count_kept
SELECT COUNT(*) AS events
FROM raw.events r
WHERE r.loaded_at > CAST(? AS TIMESTAMP_NTZ)
  AND r.loaded_at <= CAST(? AS TIMESTAMP_NTZ)
  AND r.event_ts >= CAST(? AS TIMESTAMP_NTZ)
  AND r.event_ts < CAST(? AS TIMESTAMP_NTZ)
  AND NOT EXISTS (
    SELECT 1 FROM ops.erased_users e
    WHERE ((e.id_kind = 'user' AND e.id_hash = SHA1(r.user_id))
        OR (e.id_kind = 'anonymous' AND r.user_id IS NULL AND e.id_hash = SHA1(r.anonymous_id)))
      AND (e.workspace_id IS NULL OR e.workspace_id = r.workspace_id));
