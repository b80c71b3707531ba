-- The transform lock (ops.locks). acquire succeeds (one row changed) when the lock is free or expired.

-- @statement acquire
UPDATE ops.locks
SET owner = {{ param('owner') }},
  acquired_at = CAST({{ param('now') }} AS {{ type_ts }}),
  expires_at = CAST({{ param('expires_at') }} AS {{ type_ts }})
WHERE lock_name = {{ param('lock_name') }}
  AND (owner IS NULL OR expires_at < CAST({{ param('now') }} AS {{ type_ts }}));

-- @statement renew
UPDATE ops.locks
SET expires_at = CAST({{ param('expires_at') }} AS {{ type_ts }})
WHERE lock_name = {{ param('lock_name') }}
  AND owner = {{ param('owner') }};

-- @statement release
UPDATE ops.locks
SET owner = NULL, acquired_at = NULL, expires_at = NULL
WHERE lock_name = {{ param('lock_name') }}
  AND owner = {{ param('owner') }};

-- @statement read
SELECT l.owner, l.expires_at
FROM ops.locks l
WHERE l.lock_name = {{ param('lock_name') }};
