-- The activation summary of one fact and grain for `tally report activation`: periods from from_period
-- to to_period (either may be NULL: no bound), newest first, at most max_periods of them.
SELECT
  s.period_start,
  s.active_users,
  s.new_users,
  s.retained_users,
  s.reactivated_users,
  s.churned_users,
  s.inactive_users,
  s.previous_active_users,
  s.quick_ratio,
  s.retention_rate,
  s.none_to_new,
  s.new_to_retained,
  s.retained_to_retained,
  s.reactivated_to_retained,
  s.inactive_to_reactivated,
  s.new_to_inactive,
  s.retained_to_inactive,
  s.reactivated_to_inactive,
  s.inactive_to_inactive
FROM curated.activation_summary s
WHERE s.fact = CAST(? AS VARCHAR)
  AND s.grain = CAST(? AS VARCHAR)
  AND (CAST(? AS DATE) IS NULL OR s.period_start >= CAST(? AS DATE))
  AND (CAST(? AS DATE) IS NULL OR s.period_start <= CAST(? AS DATE))
QUALIFY ROW_NUMBER() OVER (ORDER BY s.period_start DESC) <= CAST(? AS INTEGER)
ORDER BY s.period_start DESC;
