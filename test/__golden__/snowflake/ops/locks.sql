-- The transform lock (ops.locks). acquire succeeds (one row changed) when the lock is free or expired.

-- @statement acquire
UPDATE ops.locks
SET owner = ?,
  acquired_at = CAST(? AS TIMESTAMP_NTZ),
  expires_at = CAST(? AS TIMESTAMP_NTZ)
WHERE lock_name = ?
  AND (owner IS NULL OR expires_at < CAST(? AS TIMESTAMP_NTZ));

-- @statement renew
UPDATE ops.locks
SET expires_at = CAST(? AS TIMESTAMP_NTZ)
WHERE lock_name = ?
  AND owner = ?;

-- @statement release
UPDATE ops.locks
SET owner = NULL, acquired_at = NULL, expires_at = NULL
WHERE lock_name = ?
  AND owner = ?;

-- @statement read
SELECT l.owner, l.expires_at
FROM ops.locks l
WHERE l.lock_name = ?;
