import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { AdminClient } from '#local/admin-client.ts';
import { readDevState } from '#local/dev-state.ts';
import { type TallyHome, tallyHome } from '#local/tally-home.ts';
import { LAUNCHERS } from '../../e2e/support/dev-process.ts';

/** `npm start` (`tally dev --demo`) running in its own process group, as a terminal's job. */
export interface DevProcess {
  readonly home: TallyHome;
  /** The console URL `tally dev` printed (`console: http://127.0.0.1:<port>/`). */
  readonly consoleUrl: string;
  readonly admin: AdminClient;
  /** Every line it printed so far. */
  readonly lines: readonly string[];
  /** Resolves once a printed line matches (bounded by `timeoutMs`). */
  waitFor(pattern: RegExp, timeoutMs: number): Promise<string>;
  /** SIGINT to the group (a terminal's Ctrl-C), then waits for the exit; resolves with everything it printed. */
  stop(): Promise<string>;
}

/**
 * Runs `npm start` with its own state folder and free ports (more flags in `extra`), and waits until it
 * printed the console URL and published its admin endpoint.
 */
export const startDev = async (extra: readonly string[], timeoutMs = 120_000): Promise<DevProcess> => {
  const root = await mkdtemp(join(tmpdir(), 'tally-console-'));
  const [command, args] = LAUNCHERS['npm start']([
    '--home',
    root,
    '--port',
    '0',
    '--console-port',
    '0',
    ...extra,
  ]);
  const child: ChildProcessWithoutNullStreams = spawn(command, args, {
    cwd: process.cwd(),
    detached: true,
    env: { ...process.env, NODE_OPTIONS: '', NODE_NO_WARNINGS: '1' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const waiters: { pattern: RegExp; resolve: (line: string) => void }[] = [];
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const onLine = (line: string) => {
    lines.push(line);
    for (const w of [...waiters]) {
      if (w.pattern.test(line)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(line);
      }
    }
  };
  createInterface({ input: child.stdout }).on('line', onLine);
  createInterface({ input: child.stderr }).on('line', onLine);
  const waitFor = (pattern: RegExp, ms: number): Promise<string> => {
    const seen = lines.find((l) => pattern.test(l));
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new Error(`tally dev printed no line matching ${pattern} in ${ms} ms:\n${lines.join('\n')}`),
          ),
        ms,
      );
      const waiter = {
        pattern,
        resolve: (line: string) => {
          clearTimeout(timer);
          resolve(line);
        },
      };
      waiters.push(waiter);
      void exited.then((code) => {
        if (waiters.includes(waiter)) {
          clearTimeout(timer);
          reject(new Error(`tally dev exited (${code}) before printing ${pattern}:\n${lines.join('\n')}`));
        }
      });
    });
  };
  const consoleLine = await waitFor(/^console: http:\/\/127\.0\.0\.1:\d+\/$/, timeoutMs).catch((error) => {
    // nothing is left running when it did not come up
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // the group is gone already
    }
    throw error;
  });
  const home = tallyHome(root);
  const state = await readDevState(home.devStateFile);
  if (!state) throw new Error(`tally dev printed its console but published no ${home.devStateFile}`);
  return {
    home,
    consoleUrl: consoleLine.slice('console: '.length),
    admin: new AdminClient(state),
    lines,
    waitFor,
    stop: async () => {
      try {
        process.kill(-child.pid!, 'SIGINT');
      } catch {
        // the group is gone already
      }
      await exited;
      return lines.join('\n');
    },
  };
};
