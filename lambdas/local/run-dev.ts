import { join } from 'node:path';
import { DEMO_SOURCES } from '#core/demo/demo-sources.ts';
import { loadFeatureCatalog } from '#core/schema/load-feature-catalog.ts';
import { DemoRunner } from './demo-runner.ts';
import { devBanner } from './dev-banner.ts';
import { startLocalStack } from './local-stack.ts';
import { formatStatusLine } from './stack-status.ts';
import type { TallyHome } from './tally-home.ts';
import { warehouseJobs } from './warehouse-jobs.ts';

export interface DevOptions {
  readonly home: TallyHome;
  readonly port: number;
  readonly schemasDir: string;
  readonly demo: boolean;
  readonly seed: number;
  readonly demoDays: number;
  readonly demoRate: number;
  readonly transformEverySeconds: number;
  /** 0 turns the scheduled quality checks off. */
  readonly qualityEverySeconds: number;
  readonly bufferSeconds: number;
  /** 0 turns the status line off. */
  readonly statusEverySeconds: number;
  /** Where lines go (the terminal). */
  readonly print: (line: string) => void;
}

/**
 * `tally dev`: starts the local stack (and the demo), prints the endpoint, the write keys and
 * a status line every few seconds, and stops cleanly on SIGINT or SIGTERM: the collector stops
 * accepting, every stage finishes and flushes, the stream checkpoint is committed. Resolves
 * once stopped.
 */
export const runDev = async (options: DevOptions): Promise<void> => {
  const { print, home } = options;
  const catalog = await loadFeatureCatalog(join(options.schemasDir, 'features.json'));
  const reported = new Set<string>();
  const problem = (message: string): void => {
    if (reported.has(message)) return;
    reported.add(message);
    print(`! ${message}`);
  };
  const stack = await startLocalStack({
    home,
    port: options.port,
    schemasDir: options.schemasDir,
    sources: options.demo ? ['local', ...DEMO_SOURCES] : ['local'],
    bufferIntervalMs: options.bufferSeconds * 1000,
    jobs: (warehouse) =>
      warehouseJobs(warehouse, {
        catalog,
        transformIntervalMs: options.transformEverySeconds * 1000,
        qualityIntervalMs: options.qualityEverySeconds * 1000,
      }),
    onProblem: problem,
  });

  const key = stack.writeKeys.local ?? '';
  const banner = devBanner({
    url: stack.url,
    key,
    plainWriteKeysFile: home.plainWriteKeysFile,
    stateRoot: home.root,
  });
  for (const line of banner) print(line);

  let demo: DemoRunner | null = null;
  if (options.demo) {
    demo = new DemoRunner({
      url: stack.url,
      writeKeys: Object.fromEntries(DEMO_SOURCES.map((s) => [s, stack.writeKeys[s] ?? ''])) as Record<
        (typeof DEMO_SOURCES)[number],
        string
      >,
      features: catalog.features,
      seed: options.seed,
      historyDays: options.demoDays,
      eventsPerSecond: options.demoRate,
      stateFile: home.demoStateFile,
      onUnexpected: problem,
    });
    print(
      `  demo        NovaSuite workload, seed ${options.seed}: ${options.demoDays} days of history, then ~${options.demoRate} events/s live`,
    );
    demo.start();
  }
  print('Ctrl-C stops cleanly; the next start resumes where this one stopped.');

  const timer =
    options.statusEverySeconds > 0
      ? setInterval(() => {
          void stack.status().then((status) => {
            const demoPart = demo ? `  demo ${demo.stats.caughtUp ? 'live' : 'catching up'}` : '';
            print(formatStatusLine(status) + demoPart);
          });
        }, options.statusEverySeconds * 1000)
      : undefined;

  await new Promise<void>((resolve) => {
    let stoppingSince = 0;
    const stop = (signal: NodeJS.Signals): void => {
      if (stoppingSince > 0) {
        // npm and tsx relay the terminal's Ctrl-C, so one keypress can arrive twice: only a later one forces
        if (Date.now() - stoppingSince < 1500) return;
        print(
          `${signal} again: exiting without finishing the flush (the next start recovers from the stream)`,
        );
        process.exit(130);
      }
      stoppingSince = Date.now();
      print(`${signal}: stopping; finishing in-flight requests and flushing every stage...`);
      clearInterval(timer);
      void (async () => {
        await demo?.stop();
        await stack.stop();
        print('stopped cleanly.');
        resolve();
      })();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
};
