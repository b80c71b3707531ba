import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { type DevState, readDevState } from '../../../lambdas/local/dev-state.ts';
import type { TallyHome } from '../../../lambdas/local/tally-home.ts';

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
