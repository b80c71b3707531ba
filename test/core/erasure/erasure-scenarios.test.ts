import { gzipSync } from 'node:zlib';
import { loadFeatureCatalog } from '#adapters/node/load-feature-catalog.ts';
import { eraseUser } from '#core/erasure/erase-user.ts';
import type { FeatureCatalog } from '#core/schema/feature-catalog.ts';
import { snapshot } from '../../support/warehouse-db.ts';
import { fixture, lineText } from './support/lines.ts';
import { rowsHolding } from './support/oracle.ts';
import { type LocalStack, localStack } from './support/stack.ts';
import type { WorkloadObject } from './support/workload.ts';

const EVENTS_KEY = 'events/dt=2025-03-04/hr=09/tally-events-1-2025-03-04-09-11-00-a.json.gz';
const REJECTED_KEY = 'rejected/dt=2025-03-04/hr=09/tally-rejected-1-2025-03-04-09-18-00-b.json.gz';
const EVENTS = [
  'event_of_user',
  'event_of_longer_id',
  'anonymous_event_of_user',
  'event_mentioning_user',
  'shared_device_event',
  'segment_event_of_user',
  'event_of_user_other_workspace',
];
const REJECTED = [
  'rejected_malformed_of_user',
  'rejected_schema_of_user',
  'rejected_malformed_of_longer_id',
  'rejected_malformed_of_other_workspace',
  'rejected_undecodable_of_user',
];
const LANDED_AT = Date.parse('2025-03-04T10:00:00.000Z');
const TABLES = [
  'raw.events',
  'raw.rejected_events',
  'curated.fct_feature_events',
  'curated.feature_usage_daily',
  'curated.feature_usage_weekly',
  'curated.user_feature_last_seen',
  'curated.workspace_user_last_seen',
  'curated.feature_adoption_by_workspace',
];

const objects = (events: readonly string[], rejected: readonly string[]): WorkloadObject[] => [
  { key: EVENTS_KEY, lines: events.map(lineText) },
  { key: REJECTED_KEY, lines: rejected.map(lineText) },
];

const gzip = (lines: string[]): Buffer => gzipSync(`${lines.join('\n')}\n`);

let catalog: FeatureCatalog;
const stacks: LocalStack[] = [];
const stack = async (landed: WorkloadObject[]): Promise<LocalStack> => {
  const s = await localStack(catalog);
  stacks.push(s);
  await s.land(landed, LANDED_AT);
  return s;
};

/** Erases, then compares the bucket and the warehouse with a stack that only ever had `kept`. */
const eraseAndCompare = async (
  workspaceId: string | null,
  kept: { events: string[]; rejected: string[] },
) => {
  const erased = await stack(objects(EVENTS, REJECTED));
  const expected = await stack(objects(kept.events, kept.rejected));
  const outcome = await eraseUser(erased.deps(LANDED_AT + 3_600_000), {
    userId: 'u-12',
    workspaceId,
    source: 'cli',
  });
  expect(Object.fromEntries(await erased.contents())).toEqual(Object.fromEntries(await expected.contents()));
  expect(await snapshot(erased.warehouse, TABLES, ['file_row', 'loaded_at'])).toEqual(
    await snapshot(expected.warehouse, TABLES, ['file_row', 'loaded_at']),
  );
  return { erased, outcome };
};

beforeAll(async () => {
  catalog = await loadFeatureCatalog('schemas/features.json');
});
afterAll(async () => {
  for (const s of stacks) await s.close();
});

describe('what an erasure of u-12 removes, line by line', () => {
  it('removes its events, its anonymous events and events that hold its id, and keeps u-123 and a shared device', async () => {
    const { erased, outcome } = await eraseAndCompare(null, {
      events: ['event_of_longer_id', 'shared_device_event'],
      rejected: ['rejected_malformed_of_longer_id'],
    });

    expect(outcome.request).toMatchObject({ status: 'completed', linesRemoved: 9 });
    expect(outcome.request.mentionKeys).toEqual([fixture('event_mentioning_user').dedup_key]);
    expect(Object.keys(await rowsHolding(erased.warehouse, '"u-12"'))).toEqual([]);
  });

  it("with --workspace, removes only that workspace's data, and rejected records whose workspace is unknown", async () => {
    const { erased, outcome } = await eraseAndCompare('ws-globex', {
      events: EVENTS.filter((n) => n !== 'event_of_user_other_workspace'),
      rejected: [
        'rejected_schema_of_user',
        'rejected_malformed_of_longer_id',
        'rejected_undecodable_of_user',
      ],
    });

    expect(outcome.request).toMatchObject({ status: 'completed', workspaceId: 'ws-globex', linesRemoved: 3 });
    const [suppressed] = await erased.warehouse.query(
      'SELECT id_kind, workspace_id FROM ops.erased_users ORDER BY id_kind DESC',
    );
    expect(suppressed).toEqual({ id_kind: 'user', workspace_id: 'ws-globex' });
  });
});

describe('objects the warehouse has not loaded yet (queued)', () => {
  it('are read in the recent partitions, and an anonymous id they tie to the user sends the scan round again', async () => {
    const erased = await localStack(catalog);
    stacks.push(erased);
    const anonymousFirst = 'events/dt=2025-03-03/hr=23/tally-events-1-2025-03-03-23-50-00-c.json.gz';
    const identifiedLater = 'events/dt=2025-03-04/hr=09/tally-events-1-2025-03-04-09-11-00-d.json.gz';
    const bytes = (names: string[]) => names.map(lineText);
    await erased.store.replace(
      anonymousFirst,
      gzip(bytes(['anonymous_event_of_user', 'event_of_longer_id'])),
    );
    await erased.store.replace(identifiedLater, gzip(bytes(['event_of_user'])));
    const messages: string[] = [];

    const outcome = await eraseUser(
      erased.deps(LANDED_AT, { onProgress: (p) => messages.push(`[${p.step}] ${p.message}`) }),
      { userId: 'u-12', source: 'cli' },
    );

    expect(messages).toContain(
      '[objects] events/dt=2025-03-04/: 1 more linked anonymous id(s); scanning the partitions again',
    );
    expect(outcome.request).toMatchObject({ status: 'completed', linesRemoved: 2, anonymousIds: null });
    expect(Object.fromEntries(await erased.contents())).toEqual({
      [anonymousFirst]: `${lineText('event_of_longer_id')}\n`,
    });
    const kinds = await erased.warehouse.query('SELECT id_kind FROM ops.erased_users ORDER BY id_kind');
    expect(kinds).toEqual([{ id_kind: 'anonymous' }, { id_kind: 'user' }]);
  });
});
