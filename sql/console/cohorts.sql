-- The console's Cohorts page over curated.cohort_retention: cohorts of first-seen weeks from from_week to
-- to_day, one split (platform, app_version, locale, or none: 'all'), optionally one value of it.

-- @statement triangle
-- Active users per cohort week, segment and week since.
SELECT
  r.cohort_week,
  CASE CAST({{ param('split') }} AS VARCHAR)
    WHEN 'platform' THEN r.platform WHEN 'app_version' THEN r.app_version WHEN 'locale' THEN r.locale ELSE 'all'
  END AS segment,
  r.weeks_since,
  SUM(r.active_users) AS active_users
FROM curated.cohort_retention r
WHERE r.cohort_week BETWEEN CAST({{ param('from_week') }} AS DATE) AND CAST({{ param('to_day') }} AS DATE)
  AND (
    CAST({{ param('segment') }} AS VARCHAR) IS NULL
    OR CASE CAST({{ param('split') }} AS VARCHAR)
      WHEN 'platform' THEN r.platform WHEN 'app_version' THEN r.app_version WHEN 'locale' THEN r.locale ELSE 'all'
    END = CAST({{ param('segment') }} AS VARCHAR)
  )
GROUP BY 1, 2, r.weeks_since
ORDER BY 1, 2, r.weeks_since;

-- @statement latest_week
SELECT MAX(r.week_start) AS latest_week FROM curated.cohort_retention r;

-- @statement segments
-- The split's values among the cohorts of the range, with their users.
SELECT
  CASE CAST({{ param('split') }} AS VARCHAR)
    WHEN 'platform' THEN r.platform WHEN 'app_version' THEN r.app_version WHEN 'locale' THEN r.locale ELSE 'all'
  END AS segment,
  SUM(r.cohort_users) AS users
FROM curated.cohort_retention r
WHERE r.weeks_since = 0
  AND r.cohort_week BETWEEN CAST({{ param('from_week') }} AS DATE) AND CAST({{ param('to_day') }} AS DATE)
GROUP BY 1
ORDER BY users DESC, segment;
