/**
 * Transform benchmark: `npx tsx bench/transform/run.ts [--scale 1000] [--hours 9] [--days 1,30]`.
 *
 * At 1/scale of the reference customer (DESIGN section 2: 120M events/day, 250K workspaces, 8M MAU;
 * the real feature catalog), generates 1 and 30 days of history into two in-memory DuckDBs, brings
 * each up to date with a full rebuild (timed), then times incremental runs, each over one new hour of
 * traffic, alternating between the databases hour by hour so that load from other processes hits both
 * alike. Prints medians, the median of the per-hour ratios, and per-model medians. Targets from the
 * issue: incremental on 30 days <= 1.3 x incremental on 1 day; full rebuild at 30 days >= 10 x an
 * incremental run. Not a test: nothing asserts on timing.
 */
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { createDuckDbWarehouse } from '#adapters/duckdb/duckdb-warehouse.ts';
import { loadFeatureCatalog } from '#adapters/node/load-feature-catalog.ts';
import { REPO_SQL_DIR } from '#adapters/node/repo-assets.ts';
import { loadSqlLibrary } from '#adapters/node/sql-files.ts';
import { applyPipelineDdl } from '#core/pipeline/pipeline-ddl.ts';
import type { Warehouse } from '#core/warehouse/ports.ts';
import { runIncremental, runRebuild } from '#core/warehouse/runner.ts';
import { helpIfAsked } from '../usage.ts';
import { generateTraffic, type TrafficShape } from './generate-history.ts';

const duckdbSql = loadSqlLibrary('duckdb', REPO_SQL_DIR);

const OPTIONS = {
  scale: { type: 'string', default: '1000' },
  hours: { type: 'string', default: '9' },
  days: { type: 'string', default: '1,30' },
} as const;
helpIfAsked(import.meta.filename, OPTIONS);
const { values: args } = parseArgs({
  options: OPTIONS,
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
const END = new Date('2026-03-02T00:00:00.000Z'); // a Monday: history ends where the measured hours start
const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2
    ? (s[(s.length - 1) / 2] ?? 0)
    : ((s[s.length / 2 - 1] ?? 0) + (s[s.length / 2] ?? 0)) / 2;
};
const ms = (x: number) => `${Math.round(x)} ms`;

log(
  `node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model ?? 'unknown'}), ${Math.round(totalmem() / 2 ** 30)} GB, DuckDB in memory`,
);
log(
  `scale 1/${scale}: ${shape.eventsPerDay.toLocaleString('en')} events/day, ${shape.workspaces} workspaces x ` +
    `${shape.usersPerWorkspace} users, ${shape.features.length} leaf features (${catalog.features.length} in the catalog)`,
);

interface Setup {
  readonly days: number;
  readonly warehouse: Warehouse;
  readonly rawRows: number;
  readonly rebuildMs: number;
  readonly incrementalMs: number[];
  readonly modelMs: Map<string, number[]>;
  clock: Date;
}

const setups: Setup[] = [];
for (const days of historyDays) {
  const warehouse = await createDuckDbWarehouse();
  await applyPipelineDdl(warehouse, { library: duckdbSql });
  const start = new Date(END.getTime() - days * 24 * HOUR);
  let t = performance.now();
  let rawRows = 0;
  for (let d = 0; d < days; d++) {
    rawRows += await generateTraffic(
      warehouse,
      shape,
      new Date(start.getTime() + d * 24 * HOUR),
      24,
      d * 10_000_000,
    );
    process.stdout.write(
      `\r[${days}d] generating history: day ${d + 1}/${days}, ${rawRows.toLocaleString('en')} raw rows`,
    );
  }
  log(` (${ms(performance.now() - t)})`);
  const setup: Setup = {
    days,
    warehouse,
    rawRows,
    rebuildMs: 0,
    incrementalMs: [],
    modelMs: new Map(),
    clock: new Date(END.getTime() + 600_000),
  };
  t = performance.now();
  await runRebuild({ library: duckdbSql, warehouse, catalog, clock: () => setup.clock });
  setups.push({ ...setup, rebuildMs: performance.now() - t });
  log(`[${days}d] full rebuild: ${ms(performance.now() - t)}`);
}

for (let h = 0; h < hourRuns; h++) {
  const hourStart = new Date(END.getTime() + h * HOUR);
  const line: string[] = [];
  for (const setup of setups) {
    await generateTraffic(setup.warehouse, shape, hourStart, 1, 1_000_000_000 + h * 10_000_000);
    setup.clock = new Date(hourStart.getTime() + HOUR + 10 * 60_000);
    const t = performance.now();
    const report = await runIncremental({
      library: duckdbSql,
      warehouse: setup.warehouse,
      catalog,
      clock: () => setup.clock,
    });
    setup.incrementalMs.push(performance.now() - t);
    for (const m of report.models)
      setup.modelMs.set(m.model, [...(setup.modelMs.get(m.model) ?? []), m.durationMs]);
    line.push(`${setup.days}d ${ms(setup.incrementalMs.at(-1) ?? 0)}`);
  }
  log(`hour ${h + 1}/${hourRuns}: ${line.join(', ')}`);
}

log('\nhistory | raw rows   | full rebuild | incremental, 1 h (median)');
for (const s of setups) {
  log(
    `${String(s.days).padStart(4)} d  | ${s.rawRows.toLocaleString('en').padStart(10)} | ${ms(s.rebuildMs).padStart(12)} | ${ms(median(s.incrementalMs))}`,
  );
}
log(`\nper model, median ms: ${setups.map((s) => `${s.days} d`).join(' / ')}`);
for (const model of setups[0]?.modelMs.keys() ?? []) {
  log(
    `  ${model.padEnd(30)} ${setups.map((s) => String(Math.round(median(s.modelMs.get(model) ?? [])))).join(' / ')}`,
  );
}
const first = setups[0];
const last = setups.at(-1);
if (first && last && first !== last) {
  const perHour = first.incrementalMs.map((x, i) => (last.incrementalMs[i] ?? 0) / x);
  log(
    `\nincremental ${last.days} d / incremental ${first.days} d: ${(median(last.incrementalMs) / median(first.incrementalMs)).toFixed(2)} ` +
      `(ratio of medians), ${median(perHour).toFixed(2)} (median of per-hour ratios); target <= 1.3`,
  );
  log(
    `full rebuild ${last.days} d / incremental ${last.days} d: ${(last.rebuildMs / median(last.incrementalMs)).toFixed(1)}; target >= 10`,
  );
}
for (const s of setups) await s.warehouse.close();
