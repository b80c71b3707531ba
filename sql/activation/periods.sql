-- The rows of one fact and grain in an activation table (slot table: curated.activation_states or
-- curated.activation_summary, which share the key's first columns) by period: from from_period on (a
-- changed definition, a rebuild), or before before_period (past the aggregate retention).

-- @template delete_from
DELETE FROM {{ slot('table') }}
WHERE fact = CAST({{ param('fact') }} AS VARCHAR)
  AND grain = CAST({{ param('grain') }} AS VARCHAR)
  AND period_start >= CAST({{ param('from_period') }} AS DATE);

-- @template delete_before
DELETE FROM {{ slot('table') }}
WHERE fact = CAST({{ param('fact') }} AS VARCHAR)
  AND grain = CAST({{ param('grain') }} AS VARCHAR)
  AND period_start < CAST({{ param('before_period') }} AS DATE);
