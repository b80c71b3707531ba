-- duplicate-rate: copies of the same event (same dedup_key) among rows loaded in
-- (loaded_after, loaded_until]: client retries, and files loaded twice.

-- @statement rows_by_source
SELECT r.source_id, COUNT(*) AS loaded_rows, COUNT(DISTINCT r.dedup_key) AS distinct_keys
FROM raw.events r
WHERE r.loaded_at > CAST(? AS TIMESTAMP_NTZ)
  AND r.loaded_at <= CAST(? AS TIMESTAMP_NTZ)
GROUP BY r.source_id;

-- @statement most_copied
-- Up to 20 keys with the most copies per source.
SELECT k.source_id, k.dedup_key, k.copies
FROM (
  SELECT
    r.source_id,
    r.dedup_key,
    COUNT(*) AS copies,
    ROW_NUMBER() OVER (PARTITION BY r.source_id ORDER BY COUNT(*) DESC, r.dedup_key) AS rank_in_source
  FROM raw.events r
  WHERE r.loaded_at > CAST(? AS TIMESTAMP_NTZ)
  AND r.loaded_at <= CAST(? AS TIMESTAMP_NTZ)
  GROUP BY r.source_id, r.dedup_key
  HAVING COUNT(*) > 1
) k
WHERE k.rank_in_source <= 20
ORDER BY k.source_id, k.copies DESC, k.dedup_key;
