-- rejection-rate: rejected events per source and reason, as a share of every event of the source
-- (validated + rejected) loaded in (loaded_after, loaded_until]. Rejected records whose source is
-- unknown (no collector meta) count under source '(unknown)'.

-- @statement validated_by_source
SELECT r.source_id, COUNT(*) AS events
FROM raw.events r
WHERE r.loaded_at > CAST(? AS TIMESTAMP_NTZ)
  AND r.loaded_at <= CAST(? AS TIMESTAMP_NTZ)
GROUP BY r.source_id;

-- @statement rejected_by_source_and_reason
SELECT COALESCE(j.source_id, '(unknown)') AS source_id, j.reason_code, COUNT(*) AS events
FROM raw.rejected_events j
WHERE j.loaded_at > CAST(? AS TIMESTAMP_NTZ)
  AND j.loaded_at <= CAST(? AS TIMESTAMP_NTZ)
GROUP BY COALESCE(j.source_id, '(unknown)'), j.reason_code;

-- @statement rejected_sample
-- Up to 20 rejected events per (source, reason): the event id, or file#row when the event has none.
SELECT s.source_id, s.reason_code, s.offending_key
FROM (
  SELECT
    COALESCE(j.source_id, '(unknown)') AS source_id,
    j.reason_code,
    COALESCE(j.event_id, j.file_name || '#' || CAST(j.file_row AS VARCHAR)) AS offending_key,
    ROW_NUMBER() OVER (
      PARTITION BY COALESCE(j.source_id, '(unknown)'), j.reason_code ORDER BY j.loaded_at DESC, j.file_name, j.file_row
    ) AS rank_in_reason
  FROM raw.rejected_events j
  WHERE j.loaded_at > CAST(? AS TIMESTAMP_NTZ)
  AND j.loaded_at <= CAST(? AS TIMESTAMP_NTZ)
) s
WHERE s.rank_in_reason <= 20
ORDER BY s.source_id, s.reason_code, s.rank_in_reason;
