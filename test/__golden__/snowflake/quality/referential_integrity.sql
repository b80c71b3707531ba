-- referential-integrity: fact rows (loaded in (loaded_after, loaded_until]) flagged as a known feature
-- whose feature_id has no row in curated.dim_feature: the catalog sync is behind the validator's catalog,
-- or a feature was removed while clients still send it. Unknown features (feature_known = false) are the
-- unknown-features check's business. Up to 20 orphan feature ids, most rows first, each row carrying the
-- total of orphan rows. days_from .. days_to: the event days of the window's raw rows
-- (sql/quality/fact_days.sql), which bound the fact read.

-- @statement fct_feature_id
SELECT o.feature_id AS offending_key, o.orphan_rows, SUM(o.orphan_rows) OVER () AS offending
FROM (
  SELECT f.feature_id, COUNT(*) AS orphan_rows
  FROM curated.fct_feature_events f
  LEFT JOIN curated.dim_feature d ON d.feature_id = f.feature_id
  WHERE f.event_date >= CAST(? AS DATE)
    AND f.event_date <= CAST(? AS DATE)
    AND f.loaded_at > CAST(? AS TIMESTAMP_NTZ)
  AND f.loaded_at <= CAST(? AS TIMESTAMP_NTZ)
    AND f.feature_id IS NOT NULL
    AND f.feature_known = TRUE
    AND d.feature_id IS NULL
  GROUP BY f.feature_id
) o
ORDER BY o.orphan_rows DESC, o.feature_id
LIMIT 20;
