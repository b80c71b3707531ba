import type { Warehouse } from '#core/warehouse/ports.ts';
import { toSqlTimestamp } from '#core/warehouse/time.ts';

/**
 * Synthetic feature traffic written straight into raw.events with DuckDB SQL (the benchmark times the
 * transform, not the loader, and SQL generation of millions of rows takes seconds where files would
 * take minutes). Rows look like loaded ValidatedLines: one load (file) every 5 minutes, 2% of events
 * 1-70 h late and 0.2% more than 72 h late, 0.5% unknown feature ids, 1% delivered twice (a second copy
 * in a later file). Deterministic: values are hashes of the row number (dedup keys are hex digests, as the
 * validator's are, so that no zone map can prune on them).
 */
export interface TrafficShape {
  readonly eventsPerDay: number;
  readonly workspaces: number;
  readonly usersPerWorkspace: number;
  /** Leaf feature ids of the catalog events are spread over. */
  readonly features: readonly string[];
}

const PLATFORMS = ['web', 'web', 'web', 'ios', 'android', 'backend'];

const sqlList = (values: readonly string[]): string =>
  `[${values.map((v) => `'${v.replace(/'/g, "''")}'`).join(', ')}]`;

/**
 * Appends the traffic received in [from, from + hours) as loads of 5 minutes; `serial` keeps dedup
 * keys unique across calls. Returns the rows written (duplicates included).
 */
export const generateTraffic = async (
  warehouse: Warehouse,
  shape: TrafficShape,
  from: Date,
  hours: number,
  serial: number,
): Promise<number> => {
  const events = Math.round((shape.eventsPerDay * hours) / 24);
  const spanMs = hours * 3_600_000;
  const features = sqlList(shape.features);
  const platforms = sqlList(PLATFORMS);
  const body = `
    WITH base AS (
      SELECT
        i,
        CAST(? AS TIMESTAMP) + to_milliseconds(CAST(floor(i * ${spanMs} / ${events}) AS BIGINT)) AS received_at,
        hash(i + ${serial}, 'lateness') % 10000 AS late_roll,
        hash(i + ${serial}, 'ws') % ${shape.workspaces} AS ws,
        hash(i + ${serial}, 'user') % ${shape.usersPerWorkspace} AS usr,
        -- Skewed popularity: half the events go to the first eighth of the features.
        CAST(floor(${shape.features.length} * pow((hash(i + ${serial}, 'feature') % 1000000) / 1000000.0, 3)) AS BIGINT) AS feature_index,
        hash(i + ${serial}, 'unknown') % 1000 < 5 AS unknown_feature,
        hash(i + ${serial}, 'platform') % ${PLATFORMS.length} AS platform_index
      FROM range(${events}) r(i)
    ),
    timed AS (
      SELECT *,
        received_at - CASE
          WHEN late_roll < 20 THEN to_hours(CAST(1 + late_roll % 70 AS BIGINT))
          WHEN late_roll < 22 THEN to_hours(CAST(73 + late_roll % 28 AS BIGINT))
          ELSE to_milliseconds(CAST(late_roll * 7 % 5000 AS BIGINT))
        END AS event_ts,
        time_bucket(INTERVAL 5 MINUTE, received_at) + INTERVAL 5 MINUTE AS loaded_at
      FROM base
    )
    SELECT
      -- a hex digest, like the validator's SHA-256: keys carry no order a zone map could prune on
      md5('dk-' || (i + ${serial})) AS dedup_key,
      'e-' || (i + ${serial}) AS event_id,
      'feature_used' AS event_name,
      '1-0-0' AS schema_version,
      event_ts AS occurred_at,
      event_ts AS sent_at,
      received_at,
      event_ts,
      'ws' || ws || '-u' || usr AS user_id,
      NULL AS anonymous_id,
      'ws' || ws AS workspace_id,
      CASE WHEN unknown_feature THEN 'legacy.unmapped_' || (i % 7) ELSE ${features}[CAST(1 + feature_index AS BIGINT)] END AS feature_id,
      NOT unknown_feature AS feature_known,
      ${platforms}[CAST(1 + platform_index AS BIGINT)] AS platform,
      '4.2.0' AS app_version,
      'en-GB' AS locale,
      'src-bench' AS source_id,
      'native' AS intake,
      'event' AS call_type,
      CAST('{"validator_build":"bench","dedup_algo":"sha256-v1","schema_version":"1-0-0"}' AS JSON) AS lineage,
      CAST(json_object('event', 'feature_used', 'properties', json_object('document_id', 'doc-' || (i % 5000))) AS JSON) AS payload,
      'events/' || strftime(loaded_at, '%Y-%m-%d/%H%M') || '.ndjson.gz' AS file_name,
      CAST(i AS INTEGER) AS file_row,
      loaded_at,
      TRUE AS planned
    FROM timed`;
  await warehouse.execute(`CREATE OR REPLACE TEMP TABLE bench_traffic AS ${body}`, [toSqlTimestamp(from)]);
  const written = await warehouse.execute(
    'INSERT INTO raw.events SELECT * FROM bench_traffic ORDER BY loaded_at, file_row',
  );
  // 1% delivered twice: the same line again in the next load's file.
  const copies = await warehouse.execute(
    `INSERT INTO raw.events
     SELECT * REPLACE (file_name || '.redelivered' AS file_name, loaded_at + INTERVAL 5 MINUTE AS loaded_at)
     FROM bench_traffic WHERE hash(file_row, 'dup') % 100 = 0 ORDER BY loaded_at, file_row`,
  );
  await warehouse.execute('DROP TABLE bench_traffic');
  return written + copies;
};
