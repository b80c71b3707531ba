import { join } from 'node:path';
import { warehouseSource } from '#core/console/warehouse-source.ts';
import { DEMO_SOURCES } from '#core/demo/demo-sources.ts';
import { loadFeatureCatalog } from '#core/schema/load-feature-catalog.ts';
import { CONSOLE_APP_DIR, RUNBOOKS_DIR } from './console-paths.ts';
import { DemoRunner } from './demo-runner.ts';
import { startLocalConsole } from './local-console.ts';
import { startLocalStack } from './local-stack.ts';
import { formatStatusLine } from './stack-status.ts';
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

  const consoleServer = await startLocalConsole({
    source: warehouseSource(stack.warehouse),
    appDir: CONSOLE_APP_DIR,
    runbooksDir: RUNBOOKS_DIR,
    port: options.consolePort,
  }).catch(async (error: unknown) => {
    await stack.stop();
    throw error;
  });

  const key = stack.writeKeys.local ?? '';
  print('Tally local mode is up');
  print(`console: ${consoleServer.url}`);
  print(`  collector   ${stack.url}  (POST /v1/events, Segment /v1/batch /v1/track ...)`);
  print(`  write key   ${key}  (source "local"; all keys in ${home.plainWriteKeysFile})`);
  print(`  state       ${home.root}`);
  print(`  try         curl -s ${stack.url}/v1/events -H 'X-Tally-Write-Key: ${key}' \\`);
  print(
    `                -d '{"event_name":"feature_used","user_id":"u1","workspace_id":"w1","feature_id":"editor.comments.mention"}'`,
  );
  print('  read        npx tally report usage   |   npx tally query "SELECT ..."   |   npx tally status');

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
        await consoleServer.close();
        await stack.stop();
        print('stopped cleanly.');
        resolve();
      })();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
};
