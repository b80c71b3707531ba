-- The warehouse's data version: the latest model run and the latest quality run. Every console answer is
-- cached under it, so a repeated view costs no report query until a run lands new data. Both lookups
-- read one row of an ops table ordered by its time column.
SELECT
  (SELECT m.run_id FROM ops.model_runs m ORDER BY m.finished_at DESC, m.run_id DESC LIMIT 1) AS model_run_id,
  (SELECT q.run_id FROM ops.quality_results q ORDER BY q.checked_at DESC, q.run_id DESC LIMIT 1) AS quality_run_id;
