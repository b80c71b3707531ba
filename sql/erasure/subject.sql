-- What the warehouse knows of an erasure subject before anything is deleted, from curated.user_index (the
-- transform's index of where each user's rows are) and the rejected events. user_ids, anonymous_ids,
-- user_keys and needles are JSON arrays of {"id": ...}; workspace_id is the scope (NULL: every workspace).

-- @statement months
-- Where the subject's rows are: per month of activity, the first and last event day, receipt and load time
-- of its raw rows (curated.user_index, by id hashes). Rows with a user id match it; rows without one match
-- a linked anonymous id.
SELECT
  i.month_start,
  MIN(i.first_event_date) AS first_event_date,
  MAX(i.last_event_date) AS last_event_date,
  MIN(i.first_received_at) AS first_received_at,
  MAX(i.last_received_at) AS last_received_at,
  MIN(i.first_loaded_at) AS first_loaded_at,
  MAX(i.last_loaded_at) AS last_loaded_at
FROM curated.user_index i
WHERE (i.user_id_hash IN (SELECT SHA1({{ json_str('u.value', 'id') }}) FROM {{ json_rows(param('user_ids')) }} AS u)
    OR (i.user_id_hash = ''
      AND i.anonymous_id_hash IN (SELECT SHA1({{ json_str('a.value', 'id') }}) FROM {{ json_rows(param('anonymous_ids')) }} AS a)))
  AND (CAST({{ param('workspace_id') }} AS VARCHAR) IS NULL OR i.workspace_key = {{ param('workspace_id') }})
GROUP BY i.month_start
ORDER BY i.month_start;

-- @statement index_watermark
-- How far into raw.events (by loaded_at) curated.user_index reaches: rows loaded after it (since the last
-- transform) are in no index entry yet, so an erasure reads that tail of raw as well.
SELECT MAX(w.loaded_at_watermark) AS loaded_at
FROM ops.watermarks w
WHERE w.model_name = 'user_index';

-- @statement linked_anonymous_ids
-- Anonymous ids the user's own events carry (their events without a user id are the user's too): read from
-- raw.events on the loads the user's index entries name (load_from .. load_to, once per stretch).
SELECT DISTINCT r.anonymous_id
FROM raw.events r
WHERE r.loaded_at >= CAST({{ param('load_from') }} AS {{ type_ts }})
  AND r.loaded_at <= CAST({{ param('load_to') }} AS {{ type_ts }})
  AND r.user_id IN (SELECT {{ json_str('u.value', 'id') }} FROM {{ json_rows(param('user_ids')) }} AS u)
  AND r.anonymous_id IS NOT NULL
  AND (CAST({{ param('workspace_id') }} AS VARCHAR) IS NULL OR r.workspace_id = {{ param('workspace_id') }})
ORDER BY r.anonymous_id;

-- @statement forget_index
-- The subject's index entries, once a verification found nothing else of it left.
DELETE FROM curated.user_index
WHERE (user_id_hash IN (SELECT SHA1({{ json_str('u.value', 'id') }}) FROM {{ json_rows(param('user_ids')) }} AS u)
    OR (user_id_hash = ''
      AND anonymous_id_hash IN (SELECT SHA1({{ json_str('a.value', 'id') }}) FROM {{ json_rows(param('anonymous_ids')) }} AS a)))
  AND (CAST({{ param('workspace_id') }} AS VARCHAR) IS NULL OR workspace_key = {{ param('workspace_id') }});

-- @statement rejected_received
-- First and last receipt of rejected rows that may hold the subject (the id anywhere in the record text):
-- the rejected table has no index, so it is searched whole (it holds the few percent of events that fail
-- validation). The bound only has to be wide enough.
SELECT MIN(j.received_at) AS first_received_at, MAX(j.received_at) AS last_received_at
FROM raw.rejected_events j
JOIN (SELECT {{ json_str('n.value', 'id') }} AS needle FROM {{ json_rows(param('needles')) }} AS n) AS k
  ON j.user_id = k.needle OR CONTAINS(j.raw_record, k.needle);

-- @statement rejected_candidates
-- Rejected rows that may hold the subject: the parsed user id, or any needle inside the record text. The
-- caller keeps the rows the exact rule (a whole JSON string token) matches.
SELECT DISTINCT j.file_name, j.file_row, j.user_id, j.workspace_id, j.raw_record
FROM raw.rejected_events j
JOIN (SELECT {{ json_str('n.value', 'id') }} AS needle FROM {{ json_rows(param('needles')) }} AS n) AS k
  ON j.user_id = k.needle OR CONTAINS(j.raw_record, k.needle)
ORDER BY j.file_name, j.file_row;
