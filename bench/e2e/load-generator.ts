/**
 * The load side of bench/e2e, run as a child process so its CPU is not the pipeline's: sends
 * the NovaSuite workload at a fixed rate to the collector over loopback HTTP for a bounded
 * time, retrying what is not acknowledged, then prints one JSON line with what it sent and
 * the ground truth. Arguments: one JSON object (see `GeneratorArgs`).
 */

import { loadFeatureCatalog } from '#adapters/node/load-feature-catalog.ts';
import type { DemoSource } from '#demo/demo-sources.ts';
import { DemoWorkload } from '#demo/demo-workload.ts';
import { RequestSender, type SenderStats } from '../../lambdas/local/request-sender.ts';

export interface GeneratorArgs {
  readonly url: string;
  readonly writeKeys: Record<DemoSource, string>;
  readonly seed: number;
  readonly eventsPerSecond: number;
  readonly seconds: number;
  readonly concurrency: number;
  /** Give up on requests still unacknowledged this long after the last planned send. */
  readonly drainSeconds: number;
}

/** The sender's stats (`sentLate`: requests sent more than 1 s after their planned time), and the run's. */
export interface GeneratorResult extends SenderStats {
  readonly startedAt: number;
  readonly plannedEnd: number;
  readonly finishedAt: number;
  /** Events acknowledged by the planned end of the window. */
  readonly acknowledgedInWindow: number;
  readonly validEvents: number;
  readonly rejectedEvents: number;
  readonly cpuUserMs: number;
  readonly cpuSystemMs: number;
  readonly maxRssMiB: number;
}

const args = JSON.parse(process.argv[2] ?? '{}') as GeneratorArgs;
const features = (await loadFeatureCatalog('schemas/features.json')).features;
const startedAt = Math.ceil(Date.now() / 1000) * 1000 + 1000;
const plannedEnd = startedAt + args.seconds * 1000;
const workload = new DemoWorkload({
  seed: args.seed,
  features,
  writeKeys: args.writeKeys,
  start: startedAt,
  end: plannedEnd,
  eventsPerSecond: args.eventsPerSecond,
  seasonal: false,
  stepMs: 1000,
});
const abort = new AbortController();
const deadline = setTimeout(() => abort.abort(), plannedEnd + args.drainSeconds * 1000 - Date.now());
const sender = new RequestSender({
  url: args.url,
  concurrency: args.concurrency,
  realtime: true,
  signal: abort.signal,
});
let acknowledgedInWindow = 0;
const windowTimer = setTimeout(() => {
  acknowledgedInWindow = sender.stats.acknowledgedEvents;
}, plannedEnd - Date.now());
const progress = setInterval(() => {
  process.stderr.write(`${JSON.stringify({ progress: sender.stats, at: Date.now() })}\n`);
}, 5000);
await sender.sendAll(workload.requests());
clearTimeout(deadline);
clearTimeout(windowTimer);
clearInterval(progress);
const truth = workload.truth.summary();
const cpu = process.cpuUsage();
const result: GeneratorResult = {
  startedAt,
  plannedEnd,
  finishedAt: Date.now(),
  ...sender.stats,
  acknowledgedInWindow,
  validEvents: truth.validEvents,
  rejectedEvents: Object.values(truth.rejectedEvents).reduce((s, n) => s + (n ?? 0), 0),
  cpuUserMs: cpu.user / 1000,
  cpuSystemMs: cpu.system / 1000,
  maxRssMiB: process.resourceUsage().maxRSS / 1024,
};
process.stdout.write(`${JSON.stringify(result)}\n`);
