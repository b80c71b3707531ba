/**
 * Transform benchmark: `npx tsx bench/transform/run.ts [--scale 1000] [--hours 5]`.
 *
 * At 1/scale of the reference customer (DESIGN section 2: 120M events/day, 250K workspaces, 8M MAU;
 * the real feature catalog), generates 1 and 30 days of history in an in-memory DuckDB, brings the
 * curated tables up to date with a full rebuild (timed), then times incremental runs over one hour of
 * new traffic each (median of --hours runs). Prints the ratios the issue sets targets for:
 * incremental on 30 days / incremental on 1 day (<= 1.3) and full rebuild / incremental at 30 days (>= 10).
 * Not a test: nothing asserts on timing.
 */
import { cpus } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { createDuckDbWarehouse } from '#adapters/duckdb/duckdb-warehouse.ts';
import { loadFeatureCatalog } from '#core/schema/load-feature-catalog.ts';
import { applyWarehouseDdl } from '#core/warehouse/ddl.ts';
import { runIncremental, runRebuild } from '#core/warehouse/runner.ts';
import { generateTraffic, type TrafficShape } from './generate-history.ts';

const { values: args } = parseArgs({
  options: {
    scale: { type: 'string', default: '1000' },
    hours: { type: 'string', default: '5' },
    days: { type: 'string', default: '1,30' },
  },
});
const scale = Number(args.scale);
const hourRuns = Number(args.hours);
const historyDays = (args.days ?? '1,30').split(',').map(Number);
const log = (line: string) => process.stdout.write(`${line}\n`);

const catalog = await loadFeatureCatalog(join(import.meta.dirname, '..', '..', 'schemas', 'features.json'));
const shape: TrafficShape = {
  eventsPerDay: Math.round(120_000_000 / scale),
  workspaces: Math.max(1, Math.round(250_000 / scale)),
  usersPerWorkspace: 32,
  features: catalog.features.filter((f) => f.level === 3).map((f) => f.id),
};
const HOUR = 3_600_000;
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? (s[(s.length - 1) / 2] ?? 0) : ((s[s.length / 2 - 1] ?? 0) + (s[s.length / 2] ?? 0)) / 2;
};

log(`node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model ?? 'unknown'}), DuckDB in memory`);
log(
  `scale 1/${scale}: ${shape.eventsPerDay.toLocaleString('en')} events/day, ${shape.workspaces} workspaces x ` +
    `${shape.usersPerWorkspace} users, ${shape.features.length} leaf features (${catalog.features.length} in the catalog)`,
);

interface Result {
  readonly days: number;
  readonly rawRows: number;
  readonly rebuildMs: number;
  readonly incrementalMs: number[];
}
const results: Result[] = [];

for (const days of historyDays) {
  const warehouse = await createDuckDbWarehouse();
  await applyWarehouseDdl(warehouse);
  const end = new Date('2026-03-02T00:00:00.000Z'); // a Monday: history ends where the measured hours start
  const start = new Date(end.getTime() - days * 24 * HOUR);
  let clock = end;
  const options = { warehouse, catalog, clock: () => clock };
  let t = performance.now();
  let rawRows = 0;
  for (let d = 0; d < days; d++) {
    rawRows += await generateTraffic(warehouse, shape, new Date(start.getTime() + d * 24 * HOUR), 24, d * 10_000_000);
    process.stdout.write(`\r[${days}d] generating history: day ${d + 1}/${days}, ${rawRows.toLocaleString('en')} raw rows`);
  }
  log(` (${Math.round(performance.now() - t)} ms)`);
  clock = new Date(end.getTime() + 10 * 60_000);
  t = performance.now();
  await runRebuild(options);
  const rebuildMs = performance.now() - t;
  log(`[${days}d] full rebuild: ${Math.round(rebuildMs)} ms`);
  const incrementalMs: number[] = [];
  for (let h = 0; h < hourRuns; h++) {
    const hourStart = new Date(end.getTime() + h * HOUR);
    const rows = await generateTraffic(warehouse, shape, hourStart, 1, 1_000_000_000 + h * 10_000_000);
    clock = new Date(hourStart.getTime() + HOUR + 10 * 60_000);
    t = performance.now();
    const report = await runIncremental(options);
    incrementalMs.push(performance.now() - t);
    const fact = report.models.find((m) => m.model === 'fct_feature_events');
    log(
      `[${days}d] incremental hour ${h + 1}/${hourRuns}: ${rows} raw rows, ${fact?.rowsWritten ?? 0} new facts, ` +
        `${Math.round(incrementalMs.at(-1) ?? 0)} ms (${report.models.map((m) => `${m.model} ${Math.round(m.durationMs)}`).join(', ')})`,
    );
  }
  results.push({ days, rawRows, rebuildMs, incrementalMs });
  await warehouse.close();
}

log('\nhistory | raw rows   | full rebuild | incremental (1 h, median)');
for (const r of results) {
  log(
    `${String(r.days).padStart(4)} d  | ${r.rawRows.toLocaleString('en').padStart(10)} | ${`${Math.round(r.rebuildMs)} ms`.padStart(12)} | ${Math.round(median(r.incrementalMs))} ms`,
  );
}
const first = results[0];
const last = results.at(-1);
if (first && last && first !== last) {
  const incFirst = median(first.incrementalMs);
  const incLast = median(last.incrementalMs);
  log(`\nincremental ${last.days} d / incremental ${first.days} d = ${(incLast / incFirst).toFixed(2)} (target <= 1.3)`);
  log(`full rebuild ${last.days} d / incremental ${last.days} d = ${(last.rebuildMs / incLast).toFixed(1)} (target >= 10)`);
}
