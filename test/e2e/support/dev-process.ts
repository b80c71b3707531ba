import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { constants } from 'node:os';
import { setTimeout as delay } from 'node:timers/promises';
import { type DevState, readDevState } from '#local/dev-state.ts';
import type { TallyHome } from '#local/tally-home.ts';

/** A `tally dev` running in a child process, as a user starts it. */
export interface DevProcess {
  readonly child: ChildProcess;
  readonly state: DevState;
  /** Output so far (stdout and stderr), for failure messages. */
  output(): string;
  /** Resolves with the exit code (null when killed by a signal). */
  readonly exited: Promise<number | null>;
}

/** A port nobody listens on right now. */
export const freePort = async (): Promise<number> => {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
};

/** Starts `tally dev` on `home` and `port` and waits until it has published its endpoints. */
export const startDev = async (
  home: TallyHome,
  port: number,
  extraArgs: readonly string[] = [],
): Promise<DevProcess> => {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'bin/tally.ts',
      'dev',
      '--home',
      home.root,
      '--port',
      String(port),
      // the console's default port is fixed: specs running at once would share it
      '--console-port',
      '0',
      '--status-every',
      '0',
      '--buffer-seconds',
      '0.5',
      '--transform-every',
      '3600',
      ...extraArgs,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_NO_WARNINGS: '1' } },
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let exitedEarly = false;
  void exited.then(() => (exitedEarly = true));
  for (let waited = 0; waited < 60_000; waited += 100) {
    const state = await readDevState(home.devStateFile);
    if (state !== null && state.pid === child.pid) return { child, state, output: () => output, exited };
    if (exitedEarly) break;
    await delay(100);
  }
  child.kill('SIGKILL');
  throw new Error(`tally dev did not come up:\n${output}`);
};

/** The ways a user starts `tally dev` (README, docs/LOCAL.md): the start script, npx, the shebang. */
export const LAUNCHERS = {
  /** `npm start` runs package.json's start script (`tally dev --demo`) through sh: npm, sh and node. */
  'npm start': (args: readonly string[]) => ['npm', ['start', '--silent', '--', ...args]] as const,
  /** npx runs the package's bin (bin/tally.ts, by its shebang) through npm exec and sh. */
  'npx tally dev': (args: readonly string[]) => ['npx', ['tally', 'dev', ...args]] as const,
  './bin/tally.ts dev': (args: readonly string[]) => ['./bin/tally.ts', ['dev', ...args]] as const,
};
export type Launcher = keyof typeof LAUNCHERS;

/** A `tally dev` started as a user starts it, in its own process group, as a terminal's job is. */
export interface DevGroup {
  readonly state: DevState;
  /** Output so far (stdout and stderr of every process in the group). */
  output(): string;
  /** Sends `signal` to every process of the group, as a terminal's Ctrl-C does. */
  signal(signal: NodeJS.Signals): void;
  /** Resolves with the exit status of the process the launcher started, as a shell reports it (128 + n for signal n). */
  readonly exited: Promise<number>;
}

/** Starts `tally dev` with `launcher` on `home` and waits until the stack proves it runs (dev.json + admin ping). */
export const launchDev = async (
  launcher: Launcher,
  home: TallyHome,
  args: readonly string[],
  timeoutMs = 120_000,
): Promise<DevGroup> => {
  const [command, commandArgs] = LAUNCHERS[launcher](['--home', home.root, ...args]);
  const spawnedAt = Date.now();
  const child = spawn(command, commandArgs, {
    cwd: new URL('../../../', import.meta.url).pathname,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NODE_NO_WARNINGS: '1' },
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? 128 + constants.signals[signal ?? 'SIGKILL'])),
  );
  let exitedEarly = false;
  void exited.then(() => (exitedEarly = true));
  const signal = (name: NodeJS.Signals): void => {
    try {
      process.kill(-child.pid!, name);
    } catch {
      // the group is gone already
    }
  };
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline && !exitedEarly; ) {
    const state = await readDevState(home.devStateFile);
    // started by this launch, not another stack running on the same folder
    if (state !== null && Date.parse(state.startedAt) >= spawnedAt) {
      return { state, output: () => output, signal, exited };
    }
    await delay(100);
  }
  signal('SIGKILL');
  throw new Error(`${launcher}: tally dev did not come up:\n${output}`);
};
