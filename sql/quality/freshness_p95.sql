-- freshness-p95: per event, how long after receipt it was queryable, judged at the 95th percentile over
-- the events received in (received_from, received_until]. Every read is bounded by the window: raw rows by
-- loaded_at (the clustering key: a row is loaded after it was received), runs by finished_at.

-- @statement raw_latency
-- Raw: loaded_at - received_at of every loaded line (events and rejected), in seconds.
SELECT COUNT(*) AS events, PERCENTILE_CONT(0.95) WITHIN GROUP (ORDER BY t.seconds) AS p95_seconds,
  MAX(t.seconds) AS max_seconds
FROM (
  SELECT DATEDIFF('millisecond', r.received_at, r.loaded_at) / 1000.0 AS seconds
  FROM raw.events r
  WHERE {{ received_in_window('r') }}
  UNION ALL
  SELECT DATEDIFF('millisecond', j.received_at, j.loaded_at) / 1000.0 AS seconds
  FROM raw.rejected_events j
  WHERE {{ received_in_window('j') }}
) t;

-- @statement raw_slowest_files
-- The files whose lines took longest to load, slowest first (the offending keys of a failing raw bucket).
SELECT t.file_name, MAX(t.seconds) AS max_seconds
FROM (
  SELECT r.file_name, DATEDIFF('millisecond', r.received_at, r.loaded_at) / 1000.0 AS seconds
  FROM raw.events r
  WHERE {{ received_in_window('r') }}
  UNION ALL
  SELECT j.file_name, DATEDIFF('millisecond', j.received_at, j.loaded_at) / 1000.0 AS seconds
  FROM raw.rejected_events j
  WHERE {{ received_in_window('j') }}
) t
GROUP BY t.file_name
HAVING MAX(t.seconds) > CAST({{ param('max_seconds') }} AS DOUBLE)
ORDER BY max_seconds DESC, t.file_name
LIMIT 20;

-- @statement curated_latency
-- Curated: when the transform run that covered each raw.events row committed, less its received_at. A run
-- commits its models together, so it is available at its last model's finished_at; it covers the rows
-- loaded up to the fact model's watermark_to. A row no run has covered yet counts as waiting until now (a
-- lower bound, so with received_until at least the limit before now, every such row is a miss). Runs are
-- matched to loads (one per file), not to rows.
WITH runs AS (
  {{ covering_runs }}
),
window_rows AS (
  SELECT r.file_name, r.received_at, r.loaded_at
  FROM raw.events r
  WHERE {{ received_in_window('r') }}
),
loads AS (
  SELECT l.loaded_at, MIN(u.available_at) AS available_at
  FROM (SELECT DISTINCT w.loaded_at FROM window_rows w) l
  LEFT JOIN runs u ON u.covered_until >= l.loaded_at
  GROUP BY l.loaded_at
),
latency AS (
  SELECT w.file_name, l.available_at,
    DATEDIFF('millisecond', w.received_at, COALESCE(l.available_at, CAST({{ param('now') }} AS {{ type_ts }})))
      / 1000.0 AS seconds
  FROM window_rows w
  JOIN loads l ON l.loaded_at = w.loaded_at
)
SELECT COUNT(*) AS events, SUM(CASE WHEN t.available_at IS NULL THEN 1 ELSE 0 END) AS waiting,
  PERCENTILE_CONT(0.95) WITHIN GROUP (ORDER BY t.seconds) AS p95_seconds, MAX(t.seconds) AS max_seconds
FROM latency t;

-- @statement curated_slowest_files
-- The raw files whose rows waited longest for the curated layer, slowest first.
WITH runs AS (
  {{ covering_runs }}
),
files AS (
  SELECT r.file_name, r.loaded_at, MIN(r.received_at) AS first_received_at
  FROM raw.events r
  WHERE {{ received_in_window('r') }}
  GROUP BY r.file_name, r.loaded_at
)
SELECT f.file_name,
  DATEDIFF('millisecond', f.first_received_at,
    COALESCE(MIN(u.available_at), CAST({{ param('now') }} AS {{ type_ts }}))) / 1000.0 AS max_seconds
FROM files f
LEFT JOIN runs u ON u.covered_until >= f.loaded_at
GROUP BY f.file_name, f.first_received_at
HAVING DATEDIFF('millisecond', f.first_received_at,
    COALESCE(MIN(u.available_at), CAST({{ param('now') }} AS {{ type_ts }}))) / 1000.0
  > CAST({{ param('max_seconds') }} AS DOUBLE)
ORDER BY max_seconds DESC, f.file_name
LIMIT 20;
