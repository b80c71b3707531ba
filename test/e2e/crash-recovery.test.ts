import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadFeatureCatalog } from '#adapters/node/load-feature-catalog.ts';
import { DEMO_SOURCES, type DemoSource } from '#demo/demo-sources.ts';
import { DemoWorkload } from '#demo/demo-workload.ts';
import { AdminClient } from '../../lambdas/local/admin-client.ts';
import { ensureLocalWriteKeys } from '../../lambdas/local/local-write-keys.ts';
import { RequestSender } from '../../lambdas/local/request-sender.ts';
import { tallyHome } from '../../lambdas/local/tally-home.ts';
import { type DevProcess, freePort, startDev } from './support/dev-process.ts';

const HOUR = 3_600_000;
let root: string;
const running: DevProcess[] = [];

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'tally-e2e-'));
});
afterEach(async () => {
  for (const dev of running) dev.child.kill('SIGKILL');
  await rm(root, { recursive: true, force: true });
});

const countBy = (
  rows: Record<string, unknown>[],
  key: (r: Record<string, unknown>) => string,
  value: string,
) =>
  Object.fromEntries(
    rows.map((r) => [key(r), Number(r[value])]).sort(([a], [b]) => String(a).localeCompare(String(b))),
  );

describe('local mode end to end', () => {
  it('loses nothing and counts nothing twice when the stack is killed with SIGKILL mid-run and restarted', async () => {
    const home = tallyHome(root);
    const keys = await ensureLocalWriteKeys(home.writeKeysFile, home.plainWriteKeysFile, [
      'local',
      ...DEMO_SOURCES,
    ]);
    const features = (await loadFeatureCatalog('schemas/features.json')).features;
    const start = Math.floor(Date.now() / HOUR) * HOUR - 48 * HOUR;
    const workload = new DemoWorkload({
      seed: 2025,
      features,
      writeKeys: keys as Record<DemoSource, string>,
      start,
      end: start + 48 * HOUR,
      eventsPerSecond: 0.02,
    });
    const requests = [...workload.requests()];
    const truth = workload.truth.summary();
    const port = await freePort();

    let dev = await startDev(home, port);
    running.push(dev);
    const unexpected: string[] = [];
    let acknowledged = 0;
    let killedWhileSending = false;
    const sender = new RequestSender({
      url: dev.state.url,
      concurrency: 6,
      retryDelayMs: 50,
      onUnexpected: (r, status, body) =>
        unexpected.push(`${r.path} ${status} (expected ${r.expectStatus}) ${body}`),
      onAcknowledged: () => {
        acknowledged += 1;
        if (!killedWhileSending && acknowledged >= requests.length * 0.4) {
          killedWhileSending = true;
          dev.child.kill('SIGKILL');
        }
      },
    });
    const sending = sender.sendAll(requests);

    // first crash: while requests are in flight; the sender keeps retrying what was not acknowledged
    while (!killedWhileSending) await new Promise((r) => setTimeout(r, 20));
    expect(await dev.exited).toBeNull();
    dev = await startDev(home, port);
    running.push(dev);
    await sending;

    // second crash: right after the last acknowledgement, while the pipeline is still validating and loading
    dev.child.kill('SIGKILL');
    expect(await dev.exited).toBeNull();
    dev = await startDev(home, port);
    running.push(dev);

    const admin = new AdminClient(dev.state);
    await admin.settle();
    await admin.runJob('transform');

    expect(unexpected).toEqual([]);
    expect(sender.stats.retries).toBeGreaterThan(0);
    const [fact] = await admin.query(
      'SELECT COUNT(*) AS n, COUNT(DISTINCT dedup_key) AS k FROM curated.fct_feature_events',
    );
    expect({ rows: Number(fact!.n), keys: Number(fact!.k) }).toEqual({
      rows: truth.validEvents,
      keys: truth.validEvents,
    });

    const byDayFeature = await admin.query(
      "SELECT CAST(event_date AS VARCHAR) || '|' || feature_id AS k, COUNT(*) AS n FROM curated.fct_feature_events WHERE event_name = 'feature_used' GROUP BY 1",
    );
    expect(countBy(byDayFeature, (r) => String(r.k), 'n')).toEqual(truth.featureEventsByDayFeature);

    const usage = await admin.query(
      `SELECT CAST(u.event_date AS VARCHAR) || '|' || u.feature_id AS k, SUM(u.events) AS n
       FROM curated.feature_usage_daily u LEFT JOIN curated.dim_feature d ON d.feature_id = u.feature_id
       WHERE u.platform = 'all' AND (d.level = 3 OR d.feature_id IS NULL) GROUP BY 1`,
    );
    expect(countBy(usage, (r) => String(r.k), 'n')).toEqual(truth.featureEventsByDayFeature);

    const users = await admin.query(
      "SELECT workspace_id, COUNT(DISTINCT user_id) AS n FROM curated.fct_feature_events WHERE event_name = 'feature_used' GROUP BY 1",
    );
    expect(countBy(users, (r) => String(r.workspace_id), 'n')).toEqual(truth.featureUsersByWorkspace);

    const rejected = await admin.query(
      'SELECT reason_code, COUNT(DISTINCT raw_record) AS n FROM raw.rejected_events GROUP BY 1',
    );
    expect(Object.keys(countBy(rejected, (r) => String(r.reason_code), 'n')).sort()).toEqual(
      Object.keys(truth.rejectedEvents).sort(),
    );

    // and a clean stop after all that
    dev.child.kill('SIGTERM');
    expect(await dev.exited).toBe(0);
  }, 180_000);
});
