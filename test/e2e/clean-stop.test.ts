import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalStack } from '../../lambdas/local/local-stack.ts';
import { ensureLocalWriteKeys } from '../../lambdas/local/local-write-keys.ts';
import { type TallyHome, tallyHome } from '../../lambdas/local/tally-home.ts';
import { type DevGroup, type Launcher, launchDev } from './support/dev-process.ts';
import { type LightLoad, startLightLoad } from './support/light-load.ts';

/** `tally dev` options that keep each start light: no status line, no scheduled jobs, a light demo. */
const ARGS = [
  '--port',
  '0',
  '--status-every',
  '0',
  '--transform-every',
  '3600',
  '--quality-every',
  '0',
  '--buffer-seconds',
  '0.5',
  // npm start adds --demo: no history, a trickle of live demo traffic beside the test's own load
  '--demo-days',
  '0',
  '--demo-rate',
  '5',
];
/** Each step is bounded; generous, as six developers share two cores. */
const STEP_MS = 120_000;

let root: string;
let home: TallyHome;
let key: string;
const groups: DevGroup[] = [];
const loads: LightLoad[] = [];

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'tally-stop-'));
  home = tallyHome(root);
  key = (await ensureLocalWriteKeys(home.writeKeysFile, home.plainWriteKeysFile, ['local'])).local!;
});
afterEach(async () => {
  for (const load of loads.splice(0)) await load.stop();
  for (const group of groups.splice(0)) group.signal('SIGKILL');
  await rm(root, { recursive: true, force: true });
});

const within = <T>(promise: Promise<T>, what: string): Promise<T> =>
  Promise.race([
    promise,
    new Promise<T>((_, reject) =>
      setTimeout(() => reject(new Error(`${what}: no end in ${STEP_MS} ms`)), STEP_MS).unref(),
    ),
  ]);

const launch = async (launcher: Launcher): Promise<DevGroup> => {
  const group = await launchDev(launcher, home, ARGS, STEP_MS);
  groups.push(group);
  return group;
};

/** Starts a light load and waits until the collector has acknowledged a few of its requests. */
const loadUnder = async (group: DevGroup, prefix: string): Promise<LightLoad> => {
  const load = startLightLoad(group.state.url, key, prefix);
  loads.push(load);
  for (const deadline = Date.now() + STEP_MS; load.requestsAcknowledged < 5 && Date.now() < deadline; ) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return load;
};

/** What a stop left: its exit code, whether it said so, and the files a clean stop removes. */
const stopOutcome = async (group: DevGroup) => {
  const code = await within(group.exited, 'stop');
  const names = await readdir(root);
  return {
    code,
    said: /stopped cleanly\./.test(group.output()) ? 'stopped cleanly.' : group.output().slice(-2000),
    devJson: existsSync(home.devStateFile),
    wal: names.filter((name) => name.endsWith('.wal')),
  };
};

/**
 * npm and npx run the command through sh, which dies of the SIGINT once node has exited (0): npm then
 * ends itself with the same signal, status 130.
 */
const CLEAN_UNDER_NPM = { code: 130, said: 'stopped cleanly.', devJson: false, wal: [] };

describe('stopping tally dev', () => {
  it('stops cleanly on every SIGINT to the process group of `npm start` under load (20 times), losing and repeating nothing', async () => {
    const outcomes = [];
    const acknowledged: string[] = [];
    for (let run = 0; run < 20; run += 1) {
      const group = await launch('npm start');
      const load = await loadUnder(group, `stop-${run}`);
      group.signal('SIGINT');
      outcomes.push({ run, ...(await stopOutcome(group)) });
      await load.stop();
      acknowledged.push(...load.acknowledged);
    }

    expect(outcomes).toEqual(Array.from({ length: 20 }, (_, run) => ({ run, ...CLEAN_UNDER_NPM })));

    // the next start loads what the last stop delivered; every acknowledged event is in raw exactly once
    const stack = await startLocalStack({ home, port: 0, logLevel: 'SILENT' });
    try {
      await stack.settle();
      const rows = await stack.query(
        "SELECT event_id, COUNT(*) AS n FROM raw.events WHERE event_id LIKE 'stop-%' GROUP BY 1",
      );
      const landed = new Map(rows.map((r) => [String(r.event_id), Number(r.n)]));
      expect(acknowledged.length).toBeGreaterThanOrEqual(20 * 5 * 10);
      expect(acknowledged.filter((id) => !landed.has(id))).toEqual([]);
      expect([...landed].filter(([, n]) => n > 1)).toEqual([]);
    } finally {
      await stack.stop();
    }
  }, 2_400_000);

  it('starts right after a SIGKILL of the whole process group, and refuses a second stack while one runs', async () => {
    const first = await launch('npm start');
    const load = await loadUnder(first, 'kill');

    const second = await launchDev('npm start', home, ARGS, STEP_MS).then(
      () => 'started',
      (error: Error) => error.message,
    );
    expect(second).toContain(`tally dev is already running (pid ${first.state.pid}, ${first.state.url})`);

    first.signal('SIGKILL');
    expect(await within(first.exited, 'SIGKILL')).toBe(137);
    await load.stop();
    // the killed stack's dev.json is still there, naming a pid that may linger as a zombie
    expect(existsSync(home.devStateFile)).toBe(true);

    const restarted = await launch('npm start');
    expect(restarted.state.pid).not.toBe(first.state.pid);
    restarted.signal('SIGINT');
    expect(await stopOutcome(restarted)).toEqual(CLEAN_UNDER_NPM);
  }, 600_000);

  it.each([
    ['npx tally dev', 130],
    ['./bin/tally.ts dev', 0],
  ] as const)(
    'stops cleanly on SIGINT to the process group when started as `%s`',
    async (launcher, code) => {
      const group = await launch(launcher);
      const load = await loadUnder(group, 'launcher');
      group.signal('SIGINT');
      expect(await stopOutcome(group)).toEqual({ ...CLEAN_UNDER_NPM, code });
      await load.stop();
    },
    600_000,
  );
});
