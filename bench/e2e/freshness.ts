import type { Warehouse } from '#core/warehouse/ports.ts';

export interface Percentiles {
  readonly events: number;
  readonly p50Seconds: number | null;
  readonly p95Seconds: number | null;
  readonly maxSeconds: number | null;
}

/**
 * Receipt to queryable in raw.events, per event: its file's load committed at
 * `loaded_at + duration_ms` (ops.load_history), minus the collector's `received_at`.
 */
export const rawFreshness = async (warehouse: Warehouse, since: Date): Promise<Percentiles> =>
  percentiles(
    warehouse,
    `SELECT date_diff('millisecond', r.received_at, h.loaded_at) + h.duration_ms AS ms
     FROM raw.events r JOIN ops.load_history h ON h.file_name = r.file_name
     WHERE r.received_at >= CAST(? AS TIMESTAMP)`,
    since,
  );

/**
 * Receipt to queryable in the curated tables, per event: the first successful transform run
 * whose fact watermark reached the event's `loaded_at` committed when its last model
 * finished (one transaction per run), minus `received_at`.
 */
export const curatedFreshness = async (warehouse: Warehouse, since: Date): Promise<Percentiles> =>
  percentiles(
    warehouse,
    `WITH runs AS (
       SELECT run_id, MAX(finished_at) AS ended,
         MAX(watermark_to) FILTER (WHERE model_name = 'fct_feature_events') AS reached
       FROM ops.model_runs WHERE status = 'succeeded' AND mode = 'incremental' GROUP BY run_id
     )
     SELECT date_diff('millisecond', f.received_at,
       (SELECT MIN(ended) FROM runs WHERE runs.reached >= f.loaded_at)) AS ms
     FROM curated.fct_feature_events f
     WHERE f.received_at >= CAST(? AS TIMESTAMP)`,
    since,
  );

const percentiles = async (warehouse: Warehouse, inner: string, since: Date): Promise<Percentiles> => {
  const [row] = await warehouse.query<Record<string, number | null>>(
    `SELECT COUNT(ms) AS events, quantile_cont(ms, 0.5) AS p50, quantile_cont(ms, 0.95) AS p95, MAX(ms) AS max
     FROM (${inner}) t`,
    [since.toISOString().replace('T', ' ').replace('Z', '')],
  );
  const seconds = (ms: number | null | undefined) => (ms === null || ms === undefined ? null : ms / 1000);
  return {
    events: Number(row?.events ?? 0),
    p50Seconds: seconds(row?.p50),
    p95Seconds: seconds(row?.p95),
    maxSeconds: seconds(row?.max),
  };
};
