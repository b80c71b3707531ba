-- The warehouse's data version: the latest model run and the latest quality run. Every console answer is
-- cached under it, so a repeated view costs no report query until a run lands new data. Each lookup finds
-- the table's latest time, then the run(s) stamped with it (pruned by the time column's zone maps).
SELECT
  (
    SELECT MAX(m.run_id) FROM ops.model_runs m
    WHERE m.finished_at = (SELECT MAX(x.finished_at) FROM ops.model_runs x)
  ) AS model_run_id,
  (
    SELECT MAX(q.run_id) FROM ops.quality_results q
    WHERE q.checked_at = (SELECT MAX(x.checked_at) FROM ops.quality_results x)
  ) AS quality_run_id;
