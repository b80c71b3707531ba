/**
 * Console benchmark: `npm run bench:console [-- --days 30 --rate 0.5 --samples 20 --keep <dir>]`.
 *
 * Builds `days` of NovaSuite demo history through the real local stack (see build-history.ts; `--keep`
 * reuses a state folder built before), opens its DuckDB file as `tally console` does (one thread per
 * query, like `tally dev`), and measures over HTTP each read-API report the pages ask for: cold (a new
 * read API per sample, so its cache is empty: the warehouse's own buffer cache is warm) and cached (the
 * same request again), p50 and p95 of `samples` requests. Then the time Chromium takes to fully draw the
 * Health page (from navigation to the last chart drawn), with a cold and with a warm API.
 * Targets (issue 15): p95 < 300 ms cold and < 20 ms cached per report; Health drawn in < 1.5 s.
 * Not a test: nothing asserts on timing. Results in bench/out/console-<time>.json.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { createDuckDbWarehouse } from '#adapters/duckdb/duckdb-warehouse.ts';
import { loadFeatureCatalog } from '#adapters/node/load-feature-catalog.ts';
import { REPO_SQL_DIR } from '#adapters/node/repo-assets.ts';
import { loadSqlLibrary } from '#adapters/node/sql-files.ts';
import { FACTS } from '#core/activation/facts.ts';
import { createReadApi } from '#core/console/read-api.ts';
import { consoleReports } from '#core/console/reports/index.ts';
import { warehouseSource } from '#core/console/warehouse-source.ts';
import { applyPipelineDdl } from '#core/pipeline/pipeline-ddl.ts';
import { declaredChecks } from '#core/quality/registry.ts';
import { buildConsoleBundle } from '../../lambdas/local/console-bundle.ts';
import { CONSOLE_APP_DIR, RUNBOOKS_DIR } from '../../lambdas/local/console-paths.ts';
import { startConsoleServer } from '../../lambdas/local/console-server.ts';
import { tallyHome } from '../../lambdas/local/tally-home.ts';
import { startBrowser } from '../../test/console/support/browser.ts';
import { helpIfAsked } from '../usage.ts';
import { buildHistory } from './build-history.ts';

const duckdbSql = loadSqlLibrary('duckdb', REPO_SQL_DIR);

const OPTIONS = {
  days: { type: 'string', default: '30' },
  rate: { type: 'string', default: '0.5' },
  samples: { type: 'string', default: '20' },
  'browser-samples': { type: 'string', default: '10' },
  keep: { type: 'string' },
  seed: { type: 'string', default: '42' },
} as const;
helpIfAsked(import.meta.filename, OPTIONS);
const { values: args } = parseArgs({
  options: OPTIONS,
});
const days = Number(args.days);
const samples = Number(args.samples);
const browserSamples = Number(args['browser-samples']);
const log = (line: string) => process.stdout.write(`${line}\n`);
const ms = (x: number) => `${x < 10 ? x.toFixed(1) : Math.round(x)} ms`;
const quantile = (xs: readonly number[], q: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)] ?? 0;
};

const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
log(
  `node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model ?? 'unknown'}), ${Math.round(totalmem() / 2 ** 30)} GB, load average ${load()}`,
);
const root = args.keep ?? (await mkdtemp(join(tmpdir(), 'tally-bench-console-')));
const home = tallyHome(root);
const catalog = await loadFeatureCatalog(join(import.meta.dirname, '..', '..', 'schemas', 'features.json'));
if (!existsSync(home.warehouseFile)) {
  log(`building ${days} days of demo history at ${args.rate} events/s in ${root} ...`);
  const events = await buildHistory(
    home,
    catalog,
    { days, eventsPerSecond: Number(args.rate), seed: Number(args.seed) },
    log,
  );
  log(`  ${events.toLocaleString('en')} events`);
} else {
  log(`reusing ${root}`);
}

const warehouse = await createDuckDbWarehouse({ path: home.warehouseFile, threads: 1, memoryLimit: '2GB' });
// a state folder built by an older tree gets the tables it lacks (as tally dev would give it)
await applyPipelineDdl(warehouse, { library: duckdbSql });
const sizes = await warehouse.query(`SELECT
  (SELECT COUNT(*) FROM raw.events) AS raw_events, (SELECT COUNT(*) FROM curated.fct_feature_events) AS facts,
  (SELECT COUNT(*) FROM curated.feature_usage_daily) AS usage_daily_rows,
  (SELECT COUNT(*) FROM curated.cohort_retention) AS cohort_rows,
  (SELECT COUNT(*) FROM ops.quality_results) AS quality_results,
  (SELECT COUNT(*) FROM ops.quality_check_runs) AS quality_check_runs, (SELECT COUNT(*) FROM ops.model_runs) AS model_runs,
  (SELECT MIN(event_date) FROM curated.fct_feature_events) AS first_day, (SELECT MAX(event_date) FROM curated.fct_feature_events) AS last_day`);
log(`warehouse: ${JSON.stringify(sizes[0])}`);
const lastDay = String(sizes[0]?.last_day);
const firstDay = new Date(Date.parse(`${lastDay}T00:00:00Z`) - (days - 1) * 86_400_000)
  .toISOString()
  .slice(0, 10);
const range = `from=${firstDay}&to=${lastDay}`;

const bundle = await buildConsoleBundle(CONSOLE_APP_DIR);
const serve = () =>
  startConsoleServer({
    api: createReadApi({
      source: warehouseSource(warehouse),
      sql: loadSqlLibrary('duckdb', REPO_SQL_DIR),
      reports: consoleReports({ facts: FACTS, checks: declaredChecks() }),
    }),
    bundle: async () => bundle,
    runbooksDir: RUNBOOKS_DIR,
    port: 0,
  });

/** What each page asks for, as it asks (the page's default view over the range). */
const CASES: readonly [string, string][] = [
  ['meta', 'meta'],
  ['health', `health?${range}&grain=day`],
  ['usage (root)', `usage?${range}&grain=day`],
  ['usage (editor)', `usage?${range}&grain=day&feature=editor`],
  ['adoption (editor)', 'adoption?feature=editor&sort=adoption_rate&direction=desc&offset=0&limit=25'],
  ['activation', `activation?fact=app_visit&grain=week&${range}`],
  ['cohorts', `cohorts?${range}&split=none`],
  ['quality', `quality?${range}&grain=day`],
  ['lineage', `lineage?${range}`],
  ['rejected', `rejected?${range}&grain=day&limit=12`],
  ['workspaces', 'workspaces?search=ws_00&limit=15'],
];

/** Wall time of one request, and the CPU this process (server, read API and DuckDB) spent on it. */
const timeGet = async (base: string, path: string): Promise<{ wall: number; cpu: number }> => {
  const started = performance.now();
  const cpu = process.cpuUsage();
  const response = await fetch(new URL(`/api/${path}`, base));
  await response.text();
  if (!response.ok) throw new Error(`${path}: ${response.status}`);
  const used = process.cpuUsage(cpu);
  return { wall: performance.now() - started, cpu: (used.user + used.system) / 1000 };
};

const results: Record<string, unknown>[] = [];
log(`\nload average ${load()}`);
log(
  `report                 cold p50   cold p95   cached p50   cached p95   cold CPU p50   (${samples} samples each)`,
);
for (const [name, path] of CASES) {
  const cold: { wall: number; cpu: number }[] = [];
  for (let i = 0; i < samples; i++) {
    const server = await serve();
    // the first request of a fresh API also probes the data version: part of the cold cost
    cold.push(await timeGet(server.url, path));
    await server.close();
  }
  const server = await serve();
  await timeGet(server.url, path);
  const cached: number[] = [];
  for (let i = 0; i < samples; i++) cached.push((await timeGet(server.url, path)).wall);
  await server.close();
  const walls = cold.map((c) => c.wall);
  const cpus = cold.map((c) => c.cpu);
  const row = {
    report: name,
    coldP50: quantile(walls, 0.5),
    coldP95: quantile(walls, 0.95),
    cachedP50: quantile(cached, 0.5),
    cachedP95: quantile(cached, 0.95),
    coldCpuP50: quantile(cpus, 0.5),
  };
  results.push(row);
  const cells = [row.coldP50, row.coldP95, row.cachedP50, row.cachedP95, row.coldCpuP50].map((x, i) =>
    ms(x).padStart([8, 8, 10, 10, 12][i] ?? 8),
  );
  log(`${name.padEnd(22)} ${cells.join('   ')}`);
}

log(`\nHealth page in Chromium, ${browserSamples} samples (navigation to the last chart drawn):`);
const browser = await startBrowser({ width: 1440, height: 900 });
/** Time to fully drawn (ms from navigation) and the renderer's main-thread task time meanwhile (CDP TaskDuration). */
const drawn = async (base: string): Promise<{ wall: number; busy: number }> => {
  const page = await browser.context.newPage();
  const cdp = await browser.context.newCDPSession(page);
  await cdp.send('Performance.enable');
  await page.goto(new URL(`/health?range=${days}d`, base).href);
  await page.waitForFunction(
    () =>
      (globalThis as unknown as { document: { body: { dataset: Record<string, string> } } }).document.body
        .dataset.drawn === 'health',
    undefined,
    { timeout: 60_000 },
  );
  const wall = await page.evaluate(
    () => (globalThis as unknown as { tallyConsole: { drawnMs: number } }).tallyConsole.drawnMs,
  );
  const { metrics } = await cdp.send('Performance.getMetrics');
  const busy = (metrics.find((m) => m.name === 'TaskDuration')?.value ?? 0) * 1000;
  await page.close();
  return { wall, busy };
};
const coldHealth: { wall: number; busy: number }[] = [];
const warmHealth: { wall: number; busy: number }[] = [];
try {
  // one page load first: Chromium's own start (profile, compositor) is not the console's
  const first = await serve();
  await drawn(first.url);
  await first.close();
  for (let i = 0; i < browserSamples; i++) {
    const server = await serve();
    coldHealth.push(await drawn(server.url));
    warmHealth.push(await drawn(server.url));
    await server.close();
  }
} finally {
  await browser.close();
}
const summary = (xs: readonly { wall: number; busy: number }[]): string => {
  const walls = xs.map((x) => x.wall);
  const busy = xs.map((x) => x.busy);
  return `p50 ${ms(quantile(walls, 0.5))}, p95 ${ms(quantile(walls, 0.95))}; main thread busy p50 ${ms(quantile(busy, 0.5))}`;
};
log(`  cold API:  ${summary(coldHealth)}`);
log(`  warm API:  ${summary(warmHealth)}`);
log(`  load average ${load()}`);
log(
  `  bundle: ${Math.round(bundle.js.length / 1024)} KiB script, ${Math.round(bundle.css.length / 1024)} KiB styles (uncompressed)`,
);

await warehouse.close();
await mkdir(join(import.meta.dirname, '..', 'out'), { recursive: true });
const out = join(
  import.meta.dirname,
  '..',
  'out',
  `console-${new Date().toISOString().replace(/[:.]/g, '-')}.json`,
);
await writeFile(
  out,
  JSON.stringify(
    {
      days,
      rate: args.rate,
      sizes: sizes[0],
      reports: results,
      health: { cold: coldHealth, warm: warmHealth },
    },
    null,
    2,
  ),
);
log(`\n${out}${args.keep ? '' : `\nstate folder: ${root} (pass --keep ${root} to reuse it)`}`);
