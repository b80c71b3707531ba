/**
 * Scan-budget benchmark: `npm run bench:scan [-- --scale 16000 --days 1,30,180 --row-group-size 2048]`
 * (`--save <file>` also writes the JSON summary there, the input of `npm run cost:model`; `--history-cache <dir>`
 * keeps each built history there and measures a kept one instead of building it again: for iterating on one
 * job's SQL, valid only while the change leaves what the catch-up runs write as it was).
 *
 * What a scheduled job reads, measured as rows scanned per table by DuckDB's profiler (rows read after
 * zone-map pruning: the stand-in for Snowflake's micro-partition pruning), on histories of 1, 30 and 180
 * days that all end at the same moment. Each history is a fresh file-backed warehouse filled in load order
 * (the traffic of bench/transform, a day at a time), brought up to date by an incremental run every few
 * days, then runs one more hour as usual; then it measures (a) one incremental transform over the next
 * hour, (b) one quality run of every declared check, (c) the erasure of one user active on 3 days. Not a
 * test: nothing asserts. The last
 * stdout line is the JSON summary (rows scanned per job and history, rows stored per history, raw rows of
 * the new hour).
 */
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { createDuckDbWarehouse } from '#adapters/duckdb/duckdb-warehouse.ts';
import { FolderObjectStore } from '#adapters/local/folder-object-store.ts';
import { loadFeatureCatalog } from '#adapters/node/load-feature-catalog.ts';
import { REPO_SQL_DIR } from '#adapters/node/repo-assets.ts';
import { loadSqlLibrary } from '#adapters/node/sql-files.ts';
import { eraseUser } from '#core/erasure/erase-user.ts';
import { applyPipelineDdl } from '#core/pipeline/pipeline-ddl.ts';
import { runQualityJob } from '#core/quality/quality-job.ts';
import { declaredChecks } from '#core/quality/registry.ts';
import { WarehouseAcceptedCounts } from '#core/quality/warehouse-accepted-counts.ts';
import type { Warehouse } from '#core/warehouse/ports.ts';
import { runIncremental } from '#core/warehouse/runner.ts';
import { generateTraffic, type TrafficShape } from '../transform/generate-history.ts';
import { helpIfAsked } from '../usage.ts';
import { type ScanCounter, scanCounter } from './profiler.ts';
import { writeSubjectEvents } from './subject.ts';

const duckdbSql = loadSqlLibrary('duckdb', REPO_SQL_DIR);

const OPTIONS = {
  scale: { type: 'string', default: '16000' },
  days: { type: 'string', default: '1,30,180' },
  'row-group-size': { type: 'string', default: '2048' },
  'catch-up-days': { type: 'string', default: '15' },
  keep: { type: 'boolean', default: false },
  statements: { type: 'string', default: '0' },
  save: { type: 'string' },
  'history-cache': { type: 'string' },
} as const;
helpIfAsked(import.meta.filename, OPTIONS);
const { values: args } = parseArgs({
  options: OPTIONS,
});
const scale = Number(args.scale);
const histories = (args.days ?? '1,30,180')
  .split(',')
  .map(Number)
  .sort((a, b) => a - b);
const rowGroupSize = Number(args['row-group-size']);
const catchUpDays = Number(args['catch-up-days']);
const log = (line: string) => process.stdout.write(`${line}\n`);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
// Every history ends here, where the measured hour starts: a Thursday, mid-month (late events of the hour
// reach back into the previous ISO week, never into the previous month), the same for every history.
const END = new Date('2026-03-12T00:00:00.000Z');

const topStatements = Number(args.statements);
const measure = async (counter: ScanCounter, work: (w: Warehouse) => Promise<unknown>): Promise<Measured> => {
  await counter.start();
  const t = performance.now();
  await work(counter.warehouse);
  const ms = performance.now() - t;
  const tables = await counter.stop();
  const statements = [...counter.byStatement].sort(([, a], [, b]) => b - a).slice(0, topStatements);
  const total = [...tables.values()].reduce((a, b) => a + b, 0);
  return { total, ms, tables, statements, statementCount: counter.statementCount() };
};

// Labels statements `file#name` (--statements N prints the N that scan most per job).
const library = loadSqlLibrary('duckdb', REPO_SQL_DIR);
const labels = new Map<string, string>();
for (const file of library.files()) {
  for (const st of library.file(file).statements) labels.set(st.sql, `${file}#${st.name}`);
}
const label = (sql: string): string => labels.get(sql) ?? sql.replace(/\s+/g, ' ').slice(0, 70);

const catalog = await loadFeatureCatalog(join(import.meta.dirname, '..', '..', 'schemas', 'features.json'));
const shape: TrafficShape = {
  eventsPerDay: Math.round(120_000_000 / scale),
  workspaces: Math.max(1, Math.round(250_000 / scale)),
  usersPerWorkspace: 32,
  features: catalog.features.filter((f) => f.level === 3).map((f) => f.id),
};

log(
  `node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model ?? 'unknown'}), ${Math.round(totalmem() / 2 ** 30)} GB, ` +
    `load ${loadavg()[0]?.toFixed(1)}; DuckDB file, 1 thread, row groups of ${rowGroupSize} rows`,
);
log(
  `scale 1/${scale}: ${shape.eventsPerDay.toLocaleString('en')} events/day (${(shape.eventsPerDay / rowGroupSize).toFixed(1)} row groups), ` +
    `${shape.workspaces} workspaces x ${shape.usersPerWorkspace} users, ${shape.features.length} leaf features`,
);

type Job = 'transform' | 'quality' | 'erasure';
interface Measured {
  readonly total: number;
  readonly ms: number;
  readonly tables: Map<string, number>;
  readonly statements: [string, number][];
  /** Statements the job ran (the cost model's per-query overhead). */
  readonly statementCount: number;
}
const results = new Map<number, Record<Job, Measured>>();
const stored = new Map<number, Record<string, number>>();
let newRows = 0;
// One more user of workspace ws0, named like the others: an id outside their range would let zone maps
// skip every row group without the subject and make the erasure look cheaper than it is.
const SUBJECT = `ws0-u${shape.usersPerWorkspace}`;
// Row serials (the generator's dedup keys) of a history day, and the first one after the longest history:
// the two measured hours must not repeat the keys of a history day.
const DAY_SERIALS = 10_000_000;
const AFTER_HISTORY = (Math.max(...histories) + 1) * DAY_SERIALS;
const t0 = performance.now();

const storedRows = async (warehouse: Warehouse): Promise<Record<string, number>> => {
  const tables = await warehouse.query<{ name: string }>(
    `SELECT table_schema || '.' || table_name AS name FROM information_schema.tables
     WHERE table_type = 'BASE TABLE' AND table_schema IN ('raw', 'curated', 'ops') ORDER BY 1`,
  );
  const out: Record<string, number> = {};
  for (const { name } of tables) {
    const [row] = await warehouse.query<{ n: number }>(`SELECT COUNT(*) AS n FROM ${name}`);
    out[name] = Number(row?.n ?? 0);
  }
  return out;
};

const rawCount = async (warehouse: Warehouse): Promise<number> =>
  Number((await warehouse.query<{ n: number }>('SELECT COUNT(*) AS n FROM raw.events'))[0]?.n ?? 0);

const historyCache = args['history-cache'];
const cachedHistory = (days: number): string | null =>
  historyCache ? join(historyCache, `${days}d-${scale}-${rowGroupSize}.duckdb`) : null;

async function buildHistory(warehouse: Warehouse, days: number): Promise<void> {
  const start = new Date(END.getTime() - days * DAY);
  // In load order: the subject's days before the history, then each day of traffic with the subject's
  // events of that day, brought up to date by an incremental run every few days (and at the end).
  await writeSubjectEvents(warehouse, SUBJECT, END, new Date(0), start);
  for (let d = 0; d < days; d++) {
    const day = new Date(start.getTime() + d * DAY);
    const next = new Date(day.getTime() + DAY);
    await generateTraffic(warehouse, shape, day, 24, d * DAY_SERIALS);
    await writeSubjectEvents(warehouse, SUBJECT, END, day, next);
    if ((d + 1) % catchUpDays === 0 || d + 1 === days) {
      const clock = new Date(next.getTime() + 10 * 60_000);
      const t = performance.now();
      await runIncremental({ library: duckdbSql, warehouse, catalog, clock: () => clock });
      log(
        `[${days} d] day ${d + 1}: ${(await rawCount(warehouse)).toLocaleString('en')} raw rows, ` +
          `catch-up run ${Math.round(performance.now() - t)} ms (${Math.round((performance.now() - t0) / 1000)} s so far)`,
      );
    }
  }

  // The hour after the history is run as usual (not measured), so the measured run finds its scratch
  // tables as a run every few minutes leaves them, not as the catch-up did.
  await generateTraffic(warehouse, shape, END, 1, AFTER_HISTORY);
  const warmUp = new Date(END.getTime() + HOUR + 10 * 60_000);
  await runIncremental({ library: duckdbSql, warehouse, catalog, clock: () => warmUp });
}

for (const days of histories) {
  const dir = await mkdtemp(join(tmpdir(), 'tally-bench-scan-'));
  const cached = cachedHistory(days);
  const reuse = cached !== null && existsSync(cached);
  if (reuse) {
    await copyFile(cached, join(dir, 'warehouse.duckdb'));
    log(`[${days} d] history from ${cached} (built by an earlier run)`);
  }
  const warehouse = await createDuckDbWarehouse({
    path: join(dir, 'warehouse.duckdb'),
    rowGroupSize,
    threads: 1,
    memoryLimit: '3GB',
    checkpointThreshold: '1GB',
  });
  await applyPipelineDdl(warehouse, { library: duckdbSql });
  const counter = await scanCounter(warehouse, join(dir, 'profile.json'), label);
  if (!reuse) await buildHistory(warehouse, days);
  if (cached && !reuse) {
    await warehouse.query('CHECKPOINT');
    await mkdir(historyCache ?? '', { recursive: true });
    await copyFile(join(dir, 'warehouse.duckdb'), cached);
  }

  // (a) one incremental transform over one new hour
  const before = await rawCount(warehouse);
  await generateTraffic(warehouse, shape, new Date(END.getTime() + HOUR), 1, AFTER_HISTORY + DAY_SERIALS);
  newRows = (await rawCount(warehouse)) - before;
  const clock = new Date(END.getTime() + 2 * HOUR + 10 * 60_000);
  const transform = await measure(counter, (w) =>
    runIncremental({ library: duckdbSql, warehouse: w, catalog, clock: () => clock }),
  );
  // (b) one quality run, every declared check
  const quality = await measure(counter, (w) =>
    runQualityJob({
      sql: duckdbSql,
      warehouse: w,
      checks: declaredChecks(),
      now: clock,
      acceptedCounts: new WarehouseAcceptedCounts(w, duckdbSql),
    }),
  );
  // (c) the erasure of one user active on 3 days (an empty bucket: the warehouse side only)
  const bucket = await mkdtemp(join(dir, 'bucket-'));
  const erasure = await measure(counter, (w) =>
    eraseUser(
      {
        warehouse: w,
        objects: new FolderObjectStore(bucket),
        catalog,
        library: duckdbSql,
        clock: () => clock,
      },
      { userId: SUBJECT, source: 'cli' },
    ),
  );
  results.set(days, { transform, quality, erasure });
  stored.set(days, await storedRows(warehouse));
  await warehouse.close();
  if (args.keep) log(`kept ${dir}`);
  else await rm(dir, { recursive: true, force: true });

  const storedTotal = Object.values(stored.get(days) ?? {}).reduce((a, b) => a + b, 0);
  log(
    `\n[${days} d] stored ${storedTotal.toLocaleString('en')} rows; new hour ${newRows.toLocaleString('en')} raw rows`,
  );
  for (const [job, m] of Object.entries({ transform, quality, erasure })) {
    log(
      `  ${job.padEnd(9)} ${m.total.toLocaleString('en').padStart(12)} rows scanned ` +
        `(${((100 * m.total) / storedTotal).toFixed(2)}% of stored) in ${m.statementCount} statements, ${Math.round(m.ms)} ms`,
    );
    const top = [...m.tables].sort(([, a], [, b]) => b - a);
    for (const [table, n] of top) log(`      ${table.padEnd(44)} ${n.toLocaleString('en').padStart(12)}`);
    for (const [statement, n] of m.statements)
      log(`        ${n.toLocaleString('en').padStart(12)} ${statement}`);
  }
  log('');
}
log(`total ${Math.round((performance.now() - t0) / 1000)} s`);

const longest = Math.max(...histories);
const perJob = (job: Job) =>
  Object.fromEntries(histories.map((d) => [String(d), results.get(d)?.[job].total ?? 0]));
const summary = {
  transform: perJob('transform'),
  quality: perJob('quality'),
  erasure: perJob('erasure'),
  stored: Object.fromEntries(
    histories.map((d) => [String(d), Object.values(stored.get(d) ?? {}).reduce((a, b) => a + b, 0)]),
  ),
  new_rows: newRows,
  // What the cost model (`npm run cost:model`, bench/scan/cost-model.ts) needs beyond the rows scanned.
  scale,
  statements: {
    transform: results.get(longest)?.transform.statementCount ?? 0,
    quality: results.get(longest)?.quality.statementCount ?? 0,
    erasure: results.get(longest)?.erasure.statementCount ?? 0,
  },
};
if (args.save !== undefined) await writeFile(args.save, `${JSON.stringify(summary, null, 2)}\n`);
log(JSON.stringify(summary));
