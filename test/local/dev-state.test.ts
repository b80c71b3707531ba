import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DevState, readDevState, writeDevState } from '../../lambdas/local/dev-state.ts';
import { DevAlreadyRunningError } from '../../lambdas/local/errors.ts';
import { startLocalStack } from '../../lambdas/local/local-stack.ts';
import { type TallyHome, tallyHome } from '../../lambdas/local/tally-home.ts';

let root: string;
let home: TallyHome;
const children: ChildProcess[] = [];

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'tally-dev-state-'));
  home = tallyHome(root);
});
afterEach(async () => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  await rm(root, { recursive: true, force: true });
});

/** A loopback URL on which nothing listens any more (the port of a server just closed). */
const deadUrl = async (): Promise<string> => {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
};

/** What a `tally dev` killed with SIGKILL leaves behind: its dev.json, naming `pid`. */
const leftBehind = async (pid: number): Promise<DevState> => {
  const state: DevState = {
    pid,
    url: await deadUrl(),
    adminUrl: await deadUrl(),
    token: 'a'.repeat(48),
    startedAt: '2026-01-01T00:00:00.000Z',
  };
  await writeDevState(home.devStateFile, state);
  return state;
};

/** A zombie: `sleep 0.1` exits, and its parent (`sleep`, exec'd by sh) never reaps it. */
const zombie = async (): Promise<number> => {
  const parent = spawn('sh', ['-c', 'sleep 0.1 & echo $!; exec sleep 60'], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  children.push(parent);
  const [chunk] = (await once(parent.stdout!, 'data')) as [Buffer];
  const pid = Number(chunk.toString().trim());
  for (let waited = 0; waited < 5000 && !(await isZombie(pid)); waited += 20) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return pid;
};

const isZombie = async (pid: number): Promise<boolean> => {
  try {
    return (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]?.startsWith('Z') ?? false;
  } catch {
    return false;
  }
};

describe('the running-stack check (dev.json, the admin ping and the warehouse lock)', () => {
  it('is not fooled by a zombie: a stack starts over the dev.json of a killed stack whose pid lingers as a zombie', async () => {
    const pid = await zombie();
    expect(await isZombie(pid)).toBe(true);
    // a signal-0 probe, the old check, succeeds on a zombie
    expect(() => process.kill(pid, 0)).not.toThrow();
    await leftBehind(pid);

    expect(await readDevState(home.devStateFile)).toBeNull();
    const stack = await startLocalStack({ home, port: 0, logLevel: 'SILENT' });
    try {
      expect(await readDevState(home.devStateFile)).toMatchObject({ pid: process.pid, url: stack.url });
    } finally {
      await stack.stop();
    }
  });

  it('is not fooled by a reused pid: a dev.json naming a live process that is no tally dev does not block a start', async () => {
    const other = spawn('sleep', ['60'], { stdio: 'ignore' });
    children.push(other);
    await leftBehind(other.pid!);

    expect(await readDevState(home.devStateFile)).toBeNull();
    const stack = await startLocalStack({ home, port: 0, logLevel: 'SILENT' });
    await stack.stop();
  });

  it('finds a running stack: it proves itself through its admin endpoint with the token in dev.json', async () => {
    const stack = await startLocalStack({ home, port: 0, logLevel: 'SILENT' });
    try {
      const state = await readDevState(home.devStateFile);
      expect(state).toMatchObject({ pid: process.pid, url: stack.url, adminUrl: stack.adminUrl });

      // the same endpoint with another token is not that stack
      await writeFile(home.devStateFile, JSON.stringify({ ...state, token: 'b'.repeat(48) }));
      expect(await readDevState(home.devStateFile)).toBeNull();
    } finally {
      await stack.stop();
    }
  });

  it('refuses to start while another process holds the warehouse file, names it, and leaves dev.json alone', async () => {
    const holder = spawn(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `import { DuckDBInstance } from '@duckdb/node-api';
         await DuckDBInstance.create(${JSON.stringify(home.warehouseFile)});
         console.log('holding'); setTimeout(() => {}, 60000);`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    children.push(holder);
    await once(holder.stdout!, 'data');
    const before = await leftBehind(holder.pid!);

    const refused = await startLocalStack({ home, port: 0, logLevel: 'SILENT' }).then(
      () => null,
      (error: unknown) => error,
    );

    expect(refused).toBeInstanceOf(DevAlreadyRunningError);
    expect((refused as DevAlreadyRunningError).pid).toBe(holder.pid);
    expect((refused as Error).message).toContain(`${home.warehouseFile} is held by pid ${holder.pid}`);
    expect(JSON.parse(await readFile(home.devStateFile, 'utf8'))).toEqual(before);
  });
});
