import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Analytics } from '@segment/analytics-node';
import { loadFeatureCatalog } from '#adapters/node/load-feature-catalog.ts';
import { unplannedEventsCheck } from '#core/quality/checks/unplanned-events.ts';
import { runChecks } from '#core/quality/runner.ts';
import { type LocalStack, startLocalStack } from '../../lambdas/local/local-stack.ts';
import { tallyHome } from '../../lambdas/local/tally-home.ts';
import { warehouseJobs } from '../../lambdas/local/warehouse-jobs.ts';

/**
 * Tracking-plan modes through the whole local pipeline: a team points its Segment tracking code at Tally
 * and sends a `Button Clicked` track nobody wrote a schema for. From the `local` source (a new source:
 * `allow`) it is accepted, lands in raw.events with planned = false and in the fact, and the
 * unplanned-events check names it; from a demo source (`strict`) the same call is rejected UNKNOWN_SCHEMA.
 */

let root: string;
let stack: LocalStack;
/** What the stack said on the terminal. */
const problems: string[] = [];
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'tally-plan-'));
  const catalog = await loadFeatureCatalog('schemas/features.json');
  stack = await startLocalStack({
    home: tallyHome(root),
    port: 0,
    logLevel: 'SILENT',
    sources: ['local', 'web-app', 'ios-app'],
    onProblem: (line) => problems.push(line),
    jobs: (warehouse, library) =>
      warehouseJobs(warehouse, { library, catalog, transformIntervalMs: 3_600_000, qualityIntervalMs: 0 }),
  });
});
afterAll(async () => {
  await stack?.stop();
  await rm(root, { recursive: true, force: true });
});

/** Sends `Button Clicked` three times for `user` with the Segment SDK in its default setup. */
const sendButtonClicks = async (writeKey: string, user: string): Promise<number[]> => {
  const client = new Analytics({ writeKey, host: stack.url });
  const statuses: number[] = [];
  client.on('http_response', (response) => statuses.push(response.status));
  for (const position of [1, 2, 3]) {
    client.track({
      userId: user,
      event: 'Button Clicked',
      properties: { button: 'upgrade', position },
      context: { groupId: 'ws-plan' },
    });
  }
  await client.closeAndFlush();
  return statuses;
};

it('writes each source its tracking plan in the write-key document: the new local source allow, a demo source strict', async () => {
  const document = JSON.parse(await readFile(join(root, 'write-keys.json'), 'utf8')) as {
    keys: { source_id: string; tracking_plan: string }[];
  };
  expect(document.keys.map((k) => [k.source_id, k.tracking_plan])).toEqual([
    ['local', 'allow'],
    ['web-app', 'strict'],
    ['ios-app', 'strict'],
  ]);
});

it('allow: accepts an unplanned Segment track into raw.events (planned = false) and the fact, and unplanned-events counts it', async () => {
  expect(await sendButtonClicks(stack.writeKeys.local ?? '', 'plan-allow')).toEqual([200]);
  await stack.settle();
  await stack.runJob('transform');

  const raw = await stack.query(
    `SELECT event_name, schema_version, planned, source_id, workspace_id, json_extract(payload, '$.properties.position') AS position
     FROM raw.events WHERE user_id = 'plan-allow' ORDER BY position`,
  );
  expect(raw.map((r) => ({ ...r, position: Number(r.position) }))).toEqual(
    [1, 2, 3].map((position) => ({
      event_name: 'button_clicked',
      schema_version: '0-0-0',
      planned: false,
      source_id: 'local',
      workspace_id: 'ws-plan',
      position,
    })),
  );
  const fact = await stack.query(
    `SELECT event_name, COUNT(*) AS n FROM curated.fct_feature_events WHERE user_id = 'plan-allow' GROUP BY 1`,
  );
  expect(fact.map((r) => [r.event_name, Number(r.n)])).toEqual([['button_clicked', 3]]);
  expect(
    await stack.query(`SELECT reason_code FROM raw.rejected_events WHERE user_id = 'plan-allow'`),
  ).toEqual([]);

  const run = await runChecks([unplannedEventsCheck()], {
    warehouse: stack.warehouse,
    sql: stack.library,
    now: new Date(Date.now() + 1_000),
    sampleSize: 10,
  });
  expect(run.errors).toEqual([]);
  expect(run.results.find((r) => r.bucket === 'source=local')).toMatchObject({
    status: 'fail',
    severity: 'warn',
    observed: 3,
    sample: ['button_clicked (3)'],
  });
});

it('strict: rejects the same Segment track UNKNOWN_SCHEMA, and nothing of it reaches raw.events', async () => {
  expect(await sendButtonClicks(stack.writeKeys['web-app'] ?? '', 'plan-strict')).toEqual([200]);
  await stack.settle();

  const rejected = await stack.query(
    `SELECT event_name, source_id, reason_code, reason_message FROM raw.rejected_events WHERE user_id = 'plan-strict'`,
  );
  expect(rejected).toEqual(
    Array.from({ length: 3 }, () => ({
      event_name: 'button_clicked',
      source_id: 'web-app',
      reason_code: 'UNKNOWN_SCHEMA',
      reason_message: `no schema for event "button_clicked" (the source's tracking plan is strict)`,
    })),
  );
  expect(await stack.query(`SELECT 1 FROM raw.events WHERE user_id = 'plan-strict'`)).toEqual([]);
});

it('a mode mistyped in the write-key document while the stack runs: 503 AUTH_UNAVAILABLE, and the terminal names the entry', async () => {
  const file = join(root, 'write-keys.json');
  const document = JSON.parse(await readFile(file, 'utf8')) as { keys: { source_id: string }[] };
  await writeFile(
    file,
    JSON.stringify({
      keys: document.keys.map((k) => (k.source_id === 'ios-app' ? { ...k, tracking_plan: 'stricct' } : k)),
    }),
  );

  // ios-app's key was never used, so no cached answer hides the edit
  const response = await fetch(`${stack.url}/v1/batch`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-tally-write-key': stack.writeKeys['ios-app'] ?? '' },
    body: JSON.stringify({ batch: [{ type: 'track', event: 'Button Clicked', userId: 'plan-typo' }] }),
  });

  expect(response.status).toBe(503);
  expect(await response.json()).toMatchObject({ error: { code: 'AUTH_UNAVAILABLE' } });
  expect(problems.join('\n')).toContain(
    'keys[2] (source "ios-app"): tracking_plan must be "allow" or "strict" when present, got "stricct"',
  );
});
