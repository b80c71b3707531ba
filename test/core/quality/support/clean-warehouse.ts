import { createDuckDbWarehouse } from '#adapters/duckdb/duckdb-warehouse.ts';
import { insertEventLines, insertRejectedLines } from '#adapters/local/raw-loader.ts';
import type { ValidatedLine } from '#core/contract/envelope.ts';
import { applyPipelineDdl } from '#core/pipeline/pipeline-ddl.ts';
import { WarehouseAcceptedCounts } from '#core/quality/warehouse-accepted-counts.ts';
import type { Warehouse } from '#core/warehouse/ports.ts';
import { runIncremental } from '#core/warehouse/runner.ts';
import { toSqlTimestamp } from '#core/warehouse/time.ts';
import { duckdbSql } from '#test/support/sql-library.ts';
import { freshWarehouse } from '#test/support/warehouse-db.ts';
import { eventLine, rejectedFixture, testCatalog } from '#test/support/warehouse-events.ts';
import { hourlyTraffic } from './synthetic-traffic.ts';

/**
 * A clean warehouse: nine weeks of seasonal traffic in raw.events (a few client retries, a few
 * rejections), the collector's accepted counts for the last two days, and the curated layer built by
 * the real transform. Every quality check passes on it; each test injects one fault.
 *
 * To keep the build to a few seconds the transform runs over the last two days only: older history
 * (which only the volume checks read, from raw) is added after the run, loaded before its watermark.
 */

/** The clock of every check run on the clean warehouse: a Tuesday, five minutes past three (UTC). */
export const NOW = new Date('2024-03-12T15:05:00.000Z');
/** The hour the hourly volume check judges at NOW, and the day the daily check judges. */
export const DETECTION_HOUR = new Date('2024-03-12T14:00:00.000Z');
export const DETECTION_DAY = new Date('2024-03-11T00:00:00.000Z');
const HISTORY_START = Date.UTC(2024, 0, 14); // a Sunday: 8 weeks of training before the detection day
/** Events are received up to a minute before NOW and loaded 30 s after receipt. */
const RECEIVED_UNTIL = new Date(NOW.getTime() - 60_000);

export interface TrafficSeries {
  readonly event: string;
  readonly platform: string;
  readonly source: string;
  readonly peakPerHour: number;
}

export const SERIES: readonly TrafficSeries[] = [
  { event: 'feature_used', platform: 'web', source: 'web-app', peakPerHour: 400 },
  { event: 'feature_used', platform: 'ios', source: 'ios-app', peakPerHour: 200 },
  { event: 'feature_used', platform: 'android', source: 'android-app', peakPerHour: 150 },
  { event: 'page_viewed', platform: 'web', source: 'web-app', peakPerHour: 300 },
  { event: 'session_started', platform: 'ios', source: 'ios-app', peakPerHour: 80 },
  { event: 'session_started', platform: 'backend', source: 'backend', peakPerHour: 40 },
];

export const KNOWN_FEATURES = [
  'editor.comments.mention',
  'editor.comments.reply',
  'editor.formatting.bold',
  'sharing.link',
];

const seriesKey = (s: TrafficSeries) => `${s.event}|${s.platform}|${s.source}`;

export interface CleanWarehouseOptions {
  /**
   * Nine weeks of history for the volume checks (about 0.8 M events, ~2 s), or only the last two days
   * (what every other check reads; well under a second).
   */
  readonly history?: 'weeks' | 'days';
  /** A DuckDB file to build in (default: in memory). */
  readonly path?: string;
}

/** Builds the clean warehouse. */
export const buildCleanWarehouse = async (options: CleanWarehouseOptions = {}): Promise<Warehouse> => {
  const warehouse = options.path
    ? await createDuckDbWarehouse({ path: options.path, threads: 1 })
    : await freshWarehouse();
  if (options.path) await applyPipelineDdl(warehouse, { library: duckdbSql });
  const start = options.history === 'days' ? Date.UTC(2024, 2, 10) : HISTORY_START;
  const hours = Math.ceil((RECEIVED_UNTIL.getTime() - start) / 3_600_000);
  const counts = hourlyTraffic(
    SERIES.map((s) => ({ series: seriesKey(s), peakPerHour: s.peakPerHour })),
    start,
    hours,
    20240312,
  ).map((c) => {
    const [event_name, platform, source_id] = c.series.split('|');
    return {
      hour_start: toSqlTimestamp(new Date(c.bucketStart)),
      event_name,
      platform,
      source_id,
      n: c.count,
    };
  });
  await warehouse.execute(
    'CREATE TEMP TABLE gen_counts (hour_start TIMESTAMP, event_name VARCHAR, platform VARCHAR, source_id VARCHAR, n INTEGER)',
  );
  await warehouse.execute(
    `INSERT INTO gen_counts
     SELECT CAST(v ->> '$.hour_start' AS TIMESTAMP), v ->> '$.event_name', v ->> '$.platform', v ->> '$.source_id',
       CAST(v ->> '$.n' AS INTEGER)
     FROM (SELECT unnest(CAST(? AS JSON[])) AS v)`,
    [JSON.stringify(counts)],
  );
  const recentFrom = toSqlTimestamp(new Date(NOW.getTime() - 2 * 86_400_000));
  await warehouse.execute('CREATE TEMP TABLE gen_events AS SELECT * FROM raw.events LIMIT 0');
  await warehouse.execute(GENERATE_EVENTS, [toSqlTimestamp(RECEIVED_UNTIL)]);
  await warehouse.execute(GENERATE_RETRIES);
  await warehouse.execute(
    'INSERT INTO raw.events SELECT * FROM gen_events WHERE received_at >= CAST(? AS TIMESTAMP)',
    [recentFrom],
  );
  await warehouse.execute(GENERATE_REJECTIONS, [recentFrom]);
  await warehouse.execute(COLLECTOR_COUNTS, [recentFrom]);
  await runIncremental({ library: duckdbSql, warehouse, catalog: testCatalog(), clock: () => NOW });
  await warehouse.execute(SCHEDULED_RUNS, [toSqlTimestamp(NOW)]);
  await warehouse.execute(
    'INSERT INTO raw.events SELECT * FROM gen_events WHERE received_at < CAST(? AS TIMESTAMP)',
    [recentFrom],
  );
  await warehouse.execute('DROP TABLE gen_events');
  await warehouse.execute('DROP TABLE gen_counts');
  return warehouse;
};

/**
 * Every generated event: spread evenly over its hour (receipt times to the millisecond, as the collector
 * stamps them), timed 5 s before receipt, loaded 30 s after (load times with microseconds, as Snowpipe's).
 */
const GENERATE_EVENTS = `
INSERT INTO gen_events (
  dedup_key, event_id, event_name, schema_version, occurred_at, sent_at, received_at, event_ts,
  user_id, anonymous_id, workspace_id, feature_id, feature_known, platform, app_version, locale,
  source_id, intake, call_type, lineage, payload, file_name, file_row, loaded_at, planned
)
SELECT
  'dk-' || e.id, 'ev-' || e.id, e.event_name, '1-0-0',
  e.received_at - INTERVAL 5 SECOND, e.received_at - INTERVAL 1 SECOND, e.received_at, e.received_at - INTERVAL 4 SECOND,
  'user-' || CAST(e.h % 2000 AS VARCHAR), 'anon-' || CAST(e.h % 2000 AS VARCHAR), 'ws-' || CAST(e.h % 80 AS VARCHAR),
  CASE WHEN e.event_name = 'feature_used' THEN list_element(${JSON.stringify(KNOWN_FEATURES).replaceAll('"', "'")}, CAST(e.h % 4 AS INTEGER) + 1) END,
  CASE WHEN e.event_name = 'feature_used' THEN TRUE END,
  e.platform, '4.2.0', 'en-GB', e.source_id, 'native', 'event',
  CAST('{"validator_build":"test","dedup_algo":"sha256-v1","schema_version":"1-0-0"}' AS JSON),
  CAST('{"properties":{}}' AS JSON),
  'events/dt=' || strftime(e.hour_start, '%Y-%m-%d') || '/hr=' || strftime(e.hour_start, '%H') || '/' || e.source_id || '-' || e.event_name || '.ndjson.gz',
  CAST(e.i + 1 AS INTEGER),
  e.received_at + INTERVAL 30 SECOND + to_microseconds(317),
  TRUE
FROM (
  SELECT y.*, hash(y.id) AS h,
    y.hour_start + to_milliseconds(CAST((y.i + 0.5) * 3600000.0 / y.n AS BIGINT)) AS received_at
  FROM (
    SELECT z.*,
      z.source_id || '-' || z.event_name || '-' || strftime(z.hour_start, '%Y%m%d%H') || '-' || CAST(z.i AS VARCHAR) AS id
    FROM (SELECT c.hour_start, c.event_name, c.platform, c.source_id, c.n, unnest(range(c.n)) AS i FROM gen_counts c) z
  ) y
) e
WHERE e.received_at < CAST(? AS TIMESTAMP)`;

/** One event in 200 is retried by its client: the same event (dedup key) again 2 s later, in a later file. */
const GENERATE_RETRIES = `
INSERT INTO gen_events
SELECT dedup_key, event_id, event_name, schema_version, occurred_at, sent_at + INTERVAL 2 SECOND,
  received_at + INTERVAL 2 SECOND, event_ts, user_id, anonymous_id, workspace_id, feature_id, feature_known, platform,
  app_version, locale, source_id, intake, call_type, lineage, payload, replace(file_name, '.ndjson.gz', '-retry.ndjson.gz'),
  file_row, loaded_at + INTERVAL 2 SECOND, planned
FROM gen_events
WHERE hash(dedup_key) % 200 = 0`;

/** One event in 500 of the last two days' traffic is also rejected (a client sending a wrong property type). */
const GENERATE_REJECTIONS = `
INSERT INTO raw.rejected_events (
  reason_code, reason_message, reason_path, reason_keyword, source_id, received_at, request_id, intake, event_name,
  event_id, workspace_id, user_id, raw_record, lineage, file_name, file_row, loaded_at
)
SELECT 'SCHEMA_VIOLATION', 'must be string', '/properties/action', 'type', source_id, received_at + INTERVAL 1 SECOND,
  'req-' || event_id, 'native', event_name, 'rej-' || event_id, workspace_id, user_id, '{}',
  CAST('{"validator_build":"test","dedup_algo":"sha256-v1","schema_version":null}' AS JSON),
  replace(file_name, 'events/', 'rejected/'), file_row, loaded_at + INTERVAL 1 SECOND
FROM raw.events
WHERE hash(dedup_key) % 500 = 7 AND file_name NOT LIKE '%-retry%' AND received_at >= CAST(? AS TIMESTAMP)`;

/**
 * The transform as its schedule runs it, every 5 minutes for the last three hours, each run covering the
 * loads up to its start and committing 20 s later. Only its log (ops.model_runs, what freshness-p95 reads):
 * the curated tables themselves come from the one real run at NOW.
 */
const SCHEDULED_RUNS = `
INSERT INTO ops.model_runs (
  run_id, model_name, mode, status, started_at, finished_at, duration_ms, rows_read, rows_written,
  watermark_from, watermark_to, range_from, range_to, loads, error
)
SELECT 'scheduled-' || CAST(t.k AS VARCHAR), 'fct_feature_events', 'incremental', 'succeeded', t.at,
  t.at + INTERVAL 20 SECOND, 20000, 0, 0, t.at - INTERVAL 5 MINUTE, t.at, NULL, NULL, CAST('[]' AS JSON), NULL
FROM (
  SELECT k, CAST(? AS TIMESTAMP) - to_minutes(CAST(5 * k AS BIGINT)) AS at FROM range(1, 37) r(k)
) t`;

/** What the collector accepted: every event that landed (validated or rejected), per minute received. */
const COLLECTOR_COUNTS = `
INSERT INTO ops.collector_counts (source_id, event_name, received_minute, accepted)
SELECT source_id, event_name, date_trunc('minute', received_at), COUNT(*)
FROM (
  SELECT source_id, event_name, received_at FROM raw.events
  UNION ALL
  SELECT source_id, COALESCE(event_name, ''), received_at FROM raw.rejected_events
) t
WHERE received_at >= CAST(? AS TIMESTAMP)
GROUP BY source_id, event_name, date_trunc('minute', received_at)`;

/** A ValidatedLine of a series, received at `receivedAt`, with overrides (what a fault changes). */
export const lineOf = (
  id: string,
  series: Pick<TrafficSeries, 'event' | 'platform' | 'source'>,
  receivedAt: Date,
  overrides: Partial<ValidatedLine> = {},
): ValidatedLine => {
  const at = new Date(receivedAt.getTime() - 4000).toISOString();
  const base = eventLine({
    id,
    at,
    receivedAt: receivedAt.toISOString(),
    platform: series.platform as ValidatedLine['platform'],
  });
  return {
    ...base,
    event_name: series.event,
    source_id: series.source,
    feature_id: series.event === 'feature_used' ? 'editor.comments.mention' : null,
    feature_known: series.event === 'feature_used' ? true : null,
    ...overrides,
  };
};

/** Loads lines through the real raw loader as one events file, loaded at `loadedAt`. */
export const loadLines = (
  warehouse: Warehouse,
  file: string,
  loadedAt: Date,
  lines: readonly ValidatedLine[],
) =>
  insertEventLines(
    warehouse,
    lines.map((l) => JSON.stringify(l)),
    file,
    loadedAt,
    { library: duckdbSql },
  );

/** Loads rejected lines (the fixture with overrides) through the real raw loader as one rejected file. */
export const loadRejected = (
  warehouse: Warehouse,
  file: string,
  loadedAt: Date,
  lines: readonly Record<string, unknown>[],
) =>
  insertRejectedLines(
    warehouse,
    lines.map((l) => JSON.stringify({ ...rejectedFixture(), ...l })),
    file,
    loadedAt,
    { library: duckdbSql },
  );

/** Accepted counts backed by the clean warehouse's ops.collector_counts. */
export const acceptedCountsOf = (warehouse: Warehouse) => new WarehouseAcceptedCounts(warehouse, duckdbSql);

/** Runs `work` inside a transaction that is always rolled back: the fault never outlives the test. */
export const withFault = async <T>(warehouse: Warehouse, work: (tx: Warehouse) => Promise<T>): Promise<T> => {
  const rollback = Symbol('rollback');
  let result: T | undefined;
  try {
    await warehouse.transaction(async (tx) => {
      result = await work(tx);
      throw rollback;
    });
  } catch (error) {
    if (error !== rollback) throw error;
  }
  return result as T;
};
