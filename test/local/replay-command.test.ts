import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listObjects } from '#adapters/local/bucket-layout.ts';
import { loadFeatureCatalog } from '#adapters/node/load-feature-catalog.ts';
import { type LocalStack, startLocalStack } from '../../lambdas/local/local-stack.ts';
import { REPLAY_DELIVERY_STREAM, runReplayCommand } from '../../lambdas/local/replay-command.ts';
import { type TallyHome, tallyHome } from '../../lambdas/local/tally-home.ts';
import { warehouseJobs } from '../../lambdas/local/warehouse-jobs.ts';

const HOUR = 3_600_000;
/** The version the client sends before the schema exists: rejected as UNKNOWN_SCHEMA_VERSION until it does. */
const NEW_VERSION = '1-0-2';
const PLANNED = ['plan-1', 'plan-2', 'plan-3', 'plan-4', 'plan-5'];

const featureUsed = (eventId: string, extra: Record<string, unknown> = {}) => ({
  event_name: 'feature_used',
  schema_version: NEW_VERSION,
  event_id: eventId,
  user_id: `user-${eventId}`,
  workspace_id: 'ws-replay',
  feature_id: 'editor.comments.mention',
  properties: { action: 'open', surface: 'toolbar', layout: 'split' },
  ...extra,
});

describe('tally replay, on the local stack, after a schema version is added', () => {
  let root: string;
  let home: TallyHome;
  let schemas: string;
  let stack: LocalStack;
  const lines: string[] = [];
  const replay = (extra: { dryRun?: boolean } = {}) =>
    runReplayCommand(
      {
        home: home.root,
        schemas,
        from: new Date(Date.now() - HOUR).toISOString(),
        reason: 'UNKNOWN_SCHEMA_VERSION',
        ...extra,
      },
      (line) => lines.push(line),
    );
  const count = async (sql: string): Promise<number> => Number((await stack.query(sql))[0]?.n);
  const factRows = () =>
    stack.query(
      `SELECT event_id, schema_version, COUNT(*) AS copies FROM curated.fct_feature_events
       WHERE workspace_id = 'ws-replay' GROUP BY 1, 2 ORDER BY 1`,
    );

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'tally-replay-'));
    home = tallyHome(join(root, 'home'));
    schemas = join(root, 'schemas');
    await cp('schemas', schemas, { recursive: true });
    const catalog = await loadFeatureCatalog(join(schemas, 'features.json'));
    stack = await startLocalStack({
      home,
      port: 0,
      schemasDir: schemas,
      logLevel: 'SILENT',
      jobs: (warehouse, library) =>
        warehouseJobs(warehouse, { library, catalog, transformIntervalMs: HOUR, qualityIntervalMs: 0 }),
    });
    const response = await fetch(`${stack.url}/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-tally-write-key': stack.writeKeys.local! },
      body: JSON.stringify({
        events: [
          ...PLANNED.map((id) => featureUsed(id)),
          featureUsed('plan-1'), // the client retried one event: rejected twice, one event
          featureUsed('plan-broken', { workspace_id: undefined }), // fails the new schema too
          { ...featureUsed('known-1'), schema_version: '1-0-1' },
        ],
      }),
    });
    expect(response.status).toBe(200);
    await stack.settle();
    await stack.runJob('transform');
  }, 60_000);
  afterAll(async () => {
    await stack?.stop();
    await rm(root, { recursive: true, force: true });
  });

  it('starts with the new version rejected and only the known one in the fact', async () => {
    expect(
      await count(
        "SELECT COUNT(*) AS n FROM raw.rejected_events WHERE reason_code = 'UNKNOWN_SCHEMA_VERSION' AND workspace_id = 'ws-replay'",
      ),
    ).toBe(6);
    expect(await factRows()).toEqual([{ event_id: 'known-1', schema_version: '1-0-1', copies: 1 }]);
  });

  it('changes nothing while the schema is still missing (dry run): the events are still rejected', async () => {
    const report = await replay({ dryRun: true });

    expect(report).toMatchObject({ matched: 7, replayed: 0, stillRejected: { UNKNOWN_SCHEMA_VERSION: 7 } });
  });

  it('turns the rejected events into facts, each exactly once, after the schema version is added', async () => {
    const previous = JSON.parse(
      await readFile(join(schemas, 'events', 'feature_used', '1-0-1.json'), 'utf8'),
    );
    const next = {
      ...previous,
      title: `feature_used ${NEW_VERSION}`,
      properties: {
        ...previous.properties,
        properties: {
          ...previous.properties.properties,
          properties: { ...previous.properties.properties.properties, layout: { type: 'string' } },
        },
      },
    };
    await writeFile(
      join(schemas, 'events', 'feature_used', `${NEW_VERSION}.json`),
      JSON.stringify(next, null, 2),
    );
    lines.length = 0;

    const report = await replay();
    await stack.settle();
    await stack.runJob('transform');

    expect(report).toMatchObject({
      matched: 7,
      replayed: 5,
      alreadyPresent: 1,
      stillRejected: { SCHEMA_VIOLATION: 1 },
      failed: 0,
    });
    expect(await factRows()).toEqual([
      { event_id: 'known-1', schema_version: '1-0-1', copies: 1 },
      ...PLANNED.map((id) => ({ event_id: id, schema_version: NEW_VERSION, copies: 1 })),
    ]);
    expect(await count("SELECT COUNT(*) AS n FROM raw.events WHERE workspace_id = 'ws-replay'")).toBe(6);
    expect(
      (await listObjects(home.bucketDir, 'events')).some((k) => k.includes(`/${REPLAY_DELIVERY_STREAM}-1-`)),
    ).toBe(true);
    expect(lines).toContain(
      '  replayed: 5 (written under events/; the running tally dev loads them now, the next transform counts them)',
    );
  });

  it('adds nothing when run a second time: every dedup key is already stored', async () => {
    const filesBefore = (await listObjects(home.bucketDir, 'events')).length;

    const report = await replay();
    await stack.settle();
    await stack.runJob('transform');

    expect(report).toMatchObject({ matched: 7, replayed: 0, alreadyPresent: 6, failed: 0 });
    expect((await listObjects(home.bucketDir, 'events')).length).toBe(filesBefore);
    expect(await count("SELECT COUNT(*) AS n FROM raw.events WHERE workspace_id = 'ws-replay'")).toBe(6);
    expect((await factRows()).map((r) => r.copies)).toEqual([1, 1, 1, 1, 1, 1]);
  });

  it('keeps the rejected lines: they record what was refused and when', async () => {
    expect(
      await count(
        "SELECT COUNT(*) AS n FROM raw.rejected_events WHERE reason_code = 'UNKNOWN_SCHEMA_VERSION' AND workspace_id = 'ws-replay'",
      ),
    ).toBe(6);
  });
});
