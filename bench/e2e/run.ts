/**
 * bench/e2e: the whole local pipeline under the reference peak. Starts the local stack in this
 * process, drives it from a child process with the NovaSuite workload at a fixed rate through
 * the HTTP collector (loopback, bounded in time), waits until everything is loaded and
 * transformed by the scheduled runs, and reports acknowledged vs curated events, freshness
 * percentiles (receipt to queryable in raw.events and in the curated tables), CPU and memory.
 *
 *   npx tsx bench/e2e/run.ts [--rate 12000] [--seconds 60] [--concurrency 64] [--transform-every 60]
 *                            [--quality-every 60] [--keep]
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadFeatureCatalog } from '#adapters/node/load-feature-catalog.ts';
import { sleep } from '#core/retry/sleep.ts';
import { DEMO_SOURCES } from '#demo/demo-sources.ts';
import { startLocalStack } from '../../lambdas/local/local-stack.ts';
import { ensureLocalWriteKeys } from '../../lambdas/local/local-write-keys.ts';
import { formatStatusLine } from '../../lambdas/local/stack-status.ts';
import { tallyHome } from '../../lambdas/local/tally-home.ts';
import { warehouseJobs } from '../../lambdas/local/warehouse-jobs.ts';
import { helpIfAsked } from '../usage.ts';
import { curatedFreshness, rawFreshness } from './freshness.ts';
import type { GeneratorArgs, GeneratorResult } from './load-generator.ts';
import { loaderBusy } from './loader-busy.ts';
import { ResourceSampler } from './resources.ts';

const OPTIONS = {
  rate: { type: 'string', default: '12000' },
  seconds: { type: 'string', default: '60' },
  concurrency: { type: 'string', default: '64' },
  seed: { type: 'string', default: '7' },
  'transform-every': { type: 'string', default: '60' },
  'quality-every': { type: 'string', default: '60' },
  'catch-up-limit': { type: 'string', default: '900' },
  keep: { type: 'boolean', default: false },
} as const;
helpIfAsked(import.meta.filename, OPTIONS);
const { values: flags } = parseArgs({
  options: OPTIONS,
});
const rate = Number(flags.rate);
const seconds = Number(flags.seconds);
const transformEvery = Number(flags['transform-every']);
const log = (line: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${line}`);

const root = await mkdtemp(join(tmpdir(), 'tally-bench-e2e-'));
const home = tallyHome(root);
const keys = await ensureLocalWriteKeys(home.writeKeysFile, home.plainWriteKeysFile, [...DEMO_SOURCES]);
const catalog = await loadFeatureCatalog('schemas/features.json');
const stack = await startLocalStack({
  home,
  port: 0,
  sources: [...DEMO_SOURCES],
  logLevel: 'ERROR',
  jobs: (warehouse, library) =>
    warehouseJobs(warehouse, {
      library,
      catalog,
      transformIntervalMs: transformEvery * 1000,
      qualityIntervalMs: Number(flags['quality-every']) * 1000,
    }),
  onProblem: (message) => log(`! ${message}`),
});
log(`stack up at ${stack.url}; state in ${root}`);

const benchStart = new Date();
const loadSampler = new ResourceSampler();
const wholeSampler = new ResourceSampler();
const generatorArgs: GeneratorArgs = {
  url: stack.url,
  writeKeys: Object.fromEntries(DEMO_SOURCES.map((s) => [s, keys[s]!])) as GeneratorArgs['writeKeys'],
  seed: Number(flags.seed),
  eventsPerSecond: rate,
  seconds,
  concurrency: Number(flags.concurrency),
  drainSeconds: 120,
};
const child = spawn(
  process.execPath,
  ['--import', 'tsx', 'bench/e2e/load-generator.ts', JSON.stringify(generatorArgs)],
  {
    stdio: ['ignore', 'pipe', 'pipe'],
  },
);
let out = '';
child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
child.stderr.on('data', (chunk: Buffer) => {
  for (const line of chunk
    .toString()
    .split('\n')
    .filter((l) => l.startsWith('{'))) {
    const { progress } = JSON.parse(line) as { progress: { acknowledgedEvents: number; retries: number } };
    log(
      `generator: acknowledged ${progress.acknowledgedEvents.toLocaleString('en-US')} events, ${progress.retries} retries`,
    );
  }
});
const statusTimer = setInterval(() => void stack.status().then((s) => log(formatStatusLine(s))), 5000);
const exitCode = await new Promise<number | null>((resolve) => child.once('exit', resolve));
const generator = JSON.parse(out.trim().split('\n').pop() ?? '{}') as GeneratorResult;
const duringLoad = loadSampler.stop();
log(`generator done (exit ${exitCode}): ${generator.acknowledgedEvents} events acknowledged`);

// catch up: everything validated, delivered and loaded, then a scheduled transform that covers the last load
const catchUpStart = Date.now();
await stack.settle();
const rawCaughtUpAt = Date.now();
const covered = async (): Promise<boolean> => {
  const [row] = await stack.query(
    `SELECT (SELECT MAX(loaded_at) FROM raw.events) AS last_load,
       (SELECT MAX(watermark_to) FROM ops.model_runs WHERE model_name = 'fct_feature_events' AND status = 'succeeded') AS reached`,
  );
  return row?.reached !== null && row?.last_load !== null && String(row?.reached) >= String(row?.last_load);
};
while (!(await covered())) {
  if (Date.now() - catchUpStart > Number(flags['catch-up-limit']) * 1000) {
    log('gave up waiting for the transform to catch up');
    break;
  }
  await sleep(1000);
}
const curatedCaughtUpAt = Date.now();
clearInterval(statusTimer);
const overall = wholeSampler.stop();

const count = async (sql: string): Promise<number> => Number((await stack.query(sql))[0]?.n ?? 0);
const report = {
  command: `npx tsx bench/e2e/run.ts --rate ${rate} --seconds ${seconds} --concurrency ${flags.concurrency} --transform-every ${transformEvery} --quality-every ${flags['quality-every']}`,
  startedAt: benchStart.toISOString(),
  offeredRate: rate,
  seconds,
  generator,
  achievedRate: Math.round(
    generator.acknowledgedEvents / ((generator.finishedAt - generator.startedAt) / 1000),
  ),
  rawEvents: await count('SELECT COUNT(*) AS n FROM raw.events'),
  rawRejected: await count('SELECT COUNT(*) AS n FROM raw.rejected_events'),
  curatedEvents: await count('SELECT COUNT(*) AS n FROM curated.fct_feature_events'),
  lost: 0,
  rawFreshness: await rawFreshness(stack.warehouse, benchStart),
  curatedFreshness: await curatedFreshness(stack.warehouse, benchStart),
  rawCatchUpSeconds: (rawCaughtUpAt - generator.plannedEnd) / 1000,
  curatedCatchUpSeconds: (curatedCaughtUpAt - generator.plannedEnd) / 1000,
  loads: loaderBusy(
    await stack.query('SELECT target_table, rows_loaded, loaded_at, duration_ms FROM ops.load_history'),
  ),
  transformRuns: await stack.query(
    `SELECT run_id, MIN(started_at) AS started, MAX(finished_at) AS finished, SUM(duration_ms) AS ms,
       MAX(rows_written) FILTER (WHERE model_name = 'fct_feature_events') AS fact_rows
     FROM ops.model_runs WHERE status = 'succeeded' GROUP BY run_id ORDER BY started`,
  ),
  pipelineDuringLoad: duringLoad,
  pipelineOverall: overall,
  // what the pipeline costs whatever share of the machine it got: CPU time per acknowledged event
  pipelineCpuMicrosPerEvent: Math.round(
    (overall.cpuSeconds * 1e6) / Math.max(generator.acknowledgedEvents, 1),
  ),
};
report.lost = generator.validEvents - report.curatedEvents;
log(JSON.stringify(report, null, 2));
await mkdir('bench/out', { recursive: true });
await writeFile(
  `bench/out/e2e-${benchStart.toISOString().replace(/[:.]/g, '-')}.json`,
  JSON.stringify(report, null, 2),
);

await stack.stop();
if (!flags.keep) await rm(root, { recursive: true, force: true });
