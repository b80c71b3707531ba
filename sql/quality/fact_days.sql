-- The fact days a check reads for the raw rows loaded in (loaded_after, loaded_until]: the first and last
-- event date (clamped as the fact keeps it) of those rows. A fact row loaded in the window lies on one of
-- them, and a stored copy of such a row within the dedup window of them: checks bound their fact reads by
-- these days (widened by the dedup window), so the fact is pruned by its clustering key.
SELECT
  MIN({{ clamped_event_date('r') }}) AS first_day,
  MAX({{ clamped_event_date('r') }}) AS last_day
FROM raw.events r
WHERE {{ loaded_in_window('r') }};
