-- dedup-window: dedup keys the fact holds more than once among events dated from dates_from on. The
-- transform dedups a new copy against the stored ones within the dedup window of its event day only
-- (docs/WAREHOUSE.md, How the tables are kept fresh), so each such key is a copy that arrived further
-- from the stored one than the window (a retry days later without a client clock, a clock that jumped):
-- the event is counted twice. Up to 20 keys, most copies first, each row carrying the total of such keys.
-- Reads the lookback's days of the fact only.

-- @statement copies
SELECT d.dedup_key AS offending_key, d.copies, d.first_day, d.last_day, COUNT(*) OVER () AS offending
FROM (
  SELECT f.dedup_key, COUNT(*) AS copies, MIN(f.event_date) AS first_day, MAX(f.event_date) AS last_day
  FROM curated.fct_feature_events f
  WHERE f.event_date >= CAST({{ param('dates_from') }} AS DATE)
  GROUP BY f.dedup_key
  HAVING COUNT(*) > 1
) d
ORDER BY d.copies DESC, d.dedup_key
LIMIT 20;
