import { createDuckDbWarehouse } from '#adapters/duckdb/duckdb-warehouse.ts';
const w = await createDuckDbWarehouse({ path: '/tmp/bench-console-30d/warehouse.duckdb', threads: 1 });
const q = async (label: string, sql: string) => {
  let best = Infinity;
  for (let i = 0; i < 3; i++) { const t = performance.now(); await w.query(sql); best = Math.min(best, performance.now() - t); }
  console.log(label, best.toFixed(0), 'ms');
};
const R = "checked_at >= TIMESTAMP '2026-11-08' AND checked_at < TIMESTAMP '2026-12-08'";
await q('count all in range', `SELECT COUNT(*) FROM ops.quality_results WHERE ${R}`);
await q('count needed', `SELECT COUNT(*) FROM ops.quality_results WHERE ${R} AND (check_name IN ('freshness-raw','freshness-curated','volume-hourly','volume-daily') OR status <> 'pass' OR (check_name='reconciliation' AND observed <> 0))`);
await q('count raw only', `SELECT COUNT(*) FROM ops.quality_results WHERE ${R} AND check_name = 'freshness-raw'`);
await q('group curated by ts', `SELECT checked_at, MAX(observed) FROM ops.quality_results WHERE ${R} AND check_name = 'freshness-curated' GROUP BY 1`);
await q('curated fact bucket', `SELECT checked_at, observed FROM ops.quality_results WHERE ${R} AND check_name = 'freshness-curated' AND bucket = 'model=fct_feature_events'`);
await w.close();
