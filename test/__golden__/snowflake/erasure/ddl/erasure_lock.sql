-- The erasure lock, a row of ops.locks (taken and released with sql/ops/locks.sql): one erasure run at a
-- time, so two runs never rewrite the same raw object concurrently.
INSERT INTO ops.locks (lock_name)
SELECT 'erasure'
WHERE NOT EXISTS (SELECT 1 FROM ops.locks WHERE lock_name = 'erasure');
