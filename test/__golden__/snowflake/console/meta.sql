-- What the console's filters offer: the feature catalog, the days the usage tables cover and the
-- platforms they hold.

-- @statement features
SELECT d.feature_id, d.feature_name, d.parent_id, d.level, d.status
FROM curated.dim_feature d
ORDER BY d.feature_id;

-- @statement bounds
SELECT MIN(u.event_date) AS first_day, MAX(u.event_date) AS last_day
FROM curated.feature_usage_daily u;

-- @statement platforms
SELECT DISTINCT u.platform
FROM curated.feature_usage_daily u
WHERE u.platform <> 'all'
ORDER BY u.platform;
