import { join } from 'node:path';
import { FolderObjectStore } from '#adapters/local/folder-object-store.ts';
import { loadFeatureCatalog } from '#adapters/node/load-feature-catalog.ts';
import { warehouseSource } from '#core/console/warehouse-source.ts';
import type { FeatureCatalog } from '#core/schema/feature-catalog.ts';
import { DEMO_SOURCES } from '#demo/demo-sources.ts';
import { CONSOLE_APP_DIR, RUNBOOKS_DIR } from './console-paths.ts';
import type { ConsoleServer } from './console-server.ts';
import { DemoRunner } from './demo-runner.ts';
import { devBanner } from './dev-banner.ts';
import { startLocalConsole } from './local-console.ts';
import { type LocalStack, startLocalStack } from './local-stack.ts';
import { formatStatusLine } from './stack-status.ts';
import { StopSignals } from './stop-signals.ts';
import type { TallyHome } from './tally-home.ts';
import { warehouseJobs } from './warehouse-jobs.ts';

export interface DevOptions {
  readonly home: TallyHome;
  readonly port: number;
  /** The Tally Console's port on 127.0.0.1 (0 picks a free one). */
  readonly consolePort: number;
  readonly schemasDir: string;
  readonly demo: boolean;
  readonly seed: number;
  readonly demoDays: number;
  readonly demoRate: number;
  readonly transformEverySeconds: number;
  /** 0 turns the scheduled quality checks off. */
  readonly qualityEverySeconds: number;
  /** 0 turns the scheduled erasure sweep off. */
  readonly erasureEverySeconds: number;
  readonly bufferSeconds: number;
  /** 0 turns the status line off. */
  readonly statusEverySeconds: number;
  /** Where lines go (the terminal). */
  readonly print: (line: string) => void;
}

/**
 * `tally dev`: starts the local stack (and the demo), prints the endpoint, the write keys and
 * a status line every few seconds, and stops cleanly on SIGINT or SIGTERM (see {@link StopSignals}):
 * the collector stops accepting, every stage finishes and flushes, the stream checkpoint is
 * committed, DuckDB checkpoints and closes (no `.wal` left) and `dev.json` is removed. Resolves
 * once stopped; rejects when the stack cannot start or a stage fails to stop.
 */
export const runDev = async (options: DevOptions): Promise<void> => {
  const { print, home } = options;
  // listening before anything starts: a Ctrl-C during start-up stops the stack as soon as it is up
  const signals = new StopSignals({ print }).listen();
  let stack: LocalStack;
  let catalog: FeatureCatalog;
  const reported = new Set<string>();
  const problem = (message: string): void => {
    if (reported.has(message)) return;
    reported.add(message);
    print(`! ${message}`);
  };
  try {
    catalog = await loadFeatureCatalog(join(options.schemasDir, 'features.json'));
    stack = await startLocalStack({
      home,
      port: options.port,
      schemasDir: options.schemasDir,
      sources: options.demo ? ['local', ...DEMO_SOURCES] : ['local'],
      bufferIntervalMs: options.bufferSeconds * 1000,
      jobs: (warehouse, library) =>
        warehouseJobs(warehouse, {
          library,
          catalog,
          transformIntervalMs: options.transformEverySeconds * 1000,
          qualityIntervalMs: options.qualityEverySeconds * 1000,
          erasure: {
            objects: new FolderObjectStore(home.bucketDir),
            intervalMs: options.erasureEverySeconds * 1000,
          },
        }),
      onProblem: problem,
    });
  } catch (error) {
    // nothing runs that needs a clean stop: let a signal end the process the default way again
    signals.close();
    throw error;
  }

  // the app itself is built at its first request (console-server.ts)
  const consoleServer: ConsoleServer = await startLocalConsole({
    source: warehouseSource(stack.warehouse),
    sql: stack.library,
    appDir: CONSOLE_APP_DIR,
    runbooksDir: RUNBOOKS_DIR,
    port: options.consolePort,
  }).catch(async (error: unknown) => {
    await stack.stop();
    signals.close();
    throw error;
  });

  const key = stack.writeKeys.local ?? '';
  const banner = devBanner({
    url: stack.url,
    consoleUrl: consoleServer.url,
    key,
    plainWriteKeysFile: home.plainWriteKeysFile,
    stateRoot: home.root,
  });
  for (const line of banner) print(line);

  let demo: DemoRunner | null = null;
  if (options.demo && !signals.stopRequested) {
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
          stack
            .status()
            .then((status) => {
              const demoPart = demo ? `  demo ${demo.stats.caughtUp ? 'live' : 'catching up'}` : '';
              print(formatStatusLine(status) + demoPart);
            })
            .catch((error: unknown) => problem(`status: ${error instanceof Error ? error.message : error}`));
        }, options.statusEverySeconds * 1000)
      : undefined;

  const signal = await signals.requested;
  print(`${signal}: stopping; finishing in-flight requests and flushing every stage...`);
  clearInterval(timer);
  try {
    await demo?.stop();
    await consoleServer.close();
    await stack.stop();
  } finally {
    signals.stopped();
  }
  print('stopped cleanly.');
};
