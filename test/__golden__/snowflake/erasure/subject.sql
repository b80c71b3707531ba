-- What the warehouse knows of an erasure subject before anything is deleted. user_ids, anonymous_ids,
-- user_keys and needles are JSON arrays of {"id": ...}; workspace_id is the scope (NULL: every workspace).

-- @statement linked_anonymous_ids
-- Anonymous ids the user's own events carry: their events without a user id are the user's too.
SELECT DISTINCT a.anonymous_id
FROM (
  SELECT r.anonymous_id, r.workspace_id
  FROM raw.events r
  WHERE r.user_id IN (SELECT u.value:id::VARCHAR FROM TABLE(FLATTEN(INPUT => PARSE_JSON(?))) AS u)
  UNION ALL
  SELECT f.anonymous_id, f.workspace_id
  FROM curated.fct_feature_events f
  WHERE f.user_id IN (SELECT u.value:id::VARCHAR FROM TABLE(FLATTEN(INPUT => PARSE_JSON(?))) AS u)
) a
WHERE a.anonymous_id IS NOT NULL
  AND (CAST(? AS VARCHAR) IS NULL OR a.workspace_id = ?)
ORDER BY a.anonymous_id;

-- @statement activity
-- First and last receipt of the subject's events (raw, rejected, fact): the raw objects to rewrite lie in the
-- dt= partitions of those days (partitions are by arrival). Rejected rows are bounded by a superset (the id
-- anywhere in the record text); the bound only has to be wide enough.
SELECT MIN(a.received_at) AS first_received_at, MAX(a.received_at) AS last_received_at
FROM (
  SELECT r.received_at
  FROM raw.events r
  WHERE (r.user_id IN (SELECT u.value:id::VARCHAR FROM TABLE(FLATTEN(INPUT => PARSE_JSON(?))) AS u)
      OR (r.user_id IS NULL
        AND r.anonymous_id IN (SELECT a.value:id::VARCHAR FROM TABLE(FLATTEN(INPUT => PARSE_JSON(?))) AS a)))
    AND (CAST(? AS VARCHAR) IS NULL OR r.workspace_id = ?)
  UNION ALL
  SELECT j.received_at
  FROM raw.rejected_events j
  JOIN (SELECT n.value:id::VARCHAR AS needle FROM TABLE(FLATTEN(INPUT => PARSE_JSON(?))) AS n) AS k
    ON j.user_id = k.needle OR CONTAINS(j.raw_record, k.needle)
  UNION ALL
  SELECT f.received_at
  FROM curated.fct_feature_events f
  WHERE f.user_key IN (SELECT k.value:id::VARCHAR FROM TABLE(FLATTEN(INPUT => PARSE_JSON(?))) AS k)
    AND (CAST(? AS VARCHAR) IS NULL OR f.workspace_key = ?)
) a;

-- @statement rejected_candidates
-- Rejected rows that may hold the subject: the parsed user id, or any needle inside the record text. The
-- caller keeps the rows the exact rule (a whole JSON string token) matches.
SELECT DISTINCT j.file_name, j.file_row, j.user_id, j.workspace_id, j.raw_record
FROM raw.rejected_events j
JOIN (SELECT n.value:id::VARCHAR AS needle FROM TABLE(FLATTEN(INPUT => PARSE_JSON(?))) AS n) AS k
  ON j.user_id = k.needle OR CONTAINS(j.raw_record, k.needle)
ORDER BY j.file_name, j.file_row;
