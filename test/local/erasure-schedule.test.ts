import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FolderObjectStore } from '#adapters/local/folder-object-store.ts';
import { loadFeatureCatalog } from '#adapters/node/load-feature-catalog.ts';
import { eraseUser } from '#core/erasure/erase-user.ts';
import type { FeatureCatalog } from '#core/schema/feature-catalog.ts';
import { type LocalStack, startLocalStack } from '../../lambdas/local/local-stack.ts';
import { type TallyHome, tallyHome } from '../../lambdas/local/tally-home.ts';
import { warehouseJobs } from '../../lambdas/local/warehouse-jobs.ts';

let root: string;
let home: TallyHome;
let catalog: FeatureCatalog;
let stack: LocalStack;
let serial = 0;

beforeAll(async () => {
  catalog = await loadFeatureCatalog(join('schemas', 'features.json'));
  root = await mkdtemp(join(tmpdir(), 'tally-erasure-schedule-'));
  home = tallyHome(root);
  stack = await startLocalStack({
    home,
    port: 0,
    logLevel: 'SILENT',
    bufferIntervalMs: 200,
    // nothing runs by itself during the spec: each job is run on demand, as its schedule would
    jobs: (warehouse, library) =>
      warehouseJobs(warehouse, {
        library,
        catalog,
        transformIntervalMs: 3_600_000,
        qualityIntervalMs: 0,
        erasure: { objects: new FolderObjectStore(home.bucketDir), intervalMs: 3_600_000 },
      }),
  });
});
afterAll(async () => {
  await stack?.stop();
  await rm(root, { recursive: true, force: true });
});

/** Sends one event per user through the collector and waits until it is in raw.events. */
const send = async (...users: string[]): Promise<void> => {
  const first = serial;
  serial += users.length;
  const events = users.map((user, i) => ({
    event_name: 'feature_used',
    event_id: `sweep-${first + i}`,
    user_id: user,
    workspace_id: 'ws_sweep',
    feature_id: 'editor',
  }));
  const response = await fetch(`${stack.url}/v1/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-tally-write-key': stack.writeKeys.local ?? '' },
    body: JSON.stringify({ events }),
  });
  expect(response.status).toBe(200);
  await stack.settle();
};

const rawRows = async (user: string): Promise<number> => {
  const [row] = await stack.query('SELECT count(*) AS n FROM raw.events WHERE user_id = ?', [user]);
  return Number(row?.n);
};

describe('the local schedule runs the erasure job, as the daily Lambda does on AWS', () => {
  it("sweeps an erased user's late event out of raw and the bucket, keeps everyone else's, then finds nothing more", async () => {
    await send('usr_erased', 'usr_kept');
    await stack.runJob('transform');
    const erased = await eraseUser(
      {
        warehouse: stack.warehouse,
        objects: new FolderObjectStore(home.bucketDir),
        catalog,
        library: stack.library,
        owner: 'spec',
      },
      { userId: 'usr_erased', workspaceId: null, source: 'cli', requestedBy: null },
    );
    expect(erased.kind).toBe('completed');

    // a late event of the erased user lands after the erasure
    await send('usr_erased', 'usr_kept');
    expect(await rawRows('usr_erased')).toBe(1);

    expect(await stack.runJob('erasure')).toBe(
      'sweep: 1 late event(s) of 1 erased id(s); 1 request(s) completed, 0 failed',
    );
    expect(await rawRows('usr_erased')).toBe(0);
    expect(await rawRows('usr_kept')).toBe(2);
    expect(await stack.runJob('erasure')).toBe(
      'sweep: 0 late event(s) of 0 erased id(s); 0 request(s) completed, 0 failed',
    );
  });

  it('lists the erasure job in the stack status with its last summary', async () => {
    const status = await stack.status();

    expect(status.jobs.find((job) => job.name === 'erasure')).toMatchObject({
      lastError: null,
      lastSummary: expect.stringMatching(/^sweep: /),
    });
  });
});
