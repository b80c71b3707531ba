-- Run locks: one row per lock name. A run takes the lock by setting owner and expires_at; a crashed
-- run's lock can be taken over once expires_at has passed.
-- @statement create_table
CREATE TABLE IF NOT EXISTS ops.locks (
  lock_name VARCHAR NOT NULL,
  owner VARCHAR,
  acquired_at TIMESTAMP_NTZ,
  expires_at TIMESTAMP_NTZ
);

-- @statement seed_transform
INSERT INTO ops.locks (lock_name)
SELECT 'transform'
WHERE NOT EXISTS (SELECT 1 FROM ops.locks WHERE lock_name = 'transform');

-- @statement seed_erasure
-- The erasure lock (taken and released with sql/ops/locks.sql): one erasure run at a time, so two runs
-- never rewrite the same raw object concurrently.
INSERT INTO ops.locks (lock_name)
SELECT 'erasure'
WHERE NOT EXISTS (SELECT 1 FROM ops.locks WHERE lock_name = 'erasure');
