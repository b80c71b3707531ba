import { type EraseUserOutcome, eraseUser } from '#core/erasure/erase-user.ts';
import { idHash } from '#core/erasure/subject.ts';
import { snapshot } from '../../support/warehouse-db.ts';
import {
  allTables,
  busiestUser,
  isUsersLine,
  linesOf,
  rowsHolding,
  type WorkloadUser,
  withoutUser,
} from './support/oracle.ts';
import { type LocalStack, localStack } from './support/stack.ts';
import { type LandedWorkload, landWorkload } from './support/workload.ts';

const START = Date.parse('2025-03-03T00:00:00.000Z');
const AGGREGATES = [
  'curated.dim_feature',
  'curated.feature_closure',
  'curated.feature_usage_daily',
  'curated.feature_usage_weekly',
  'curated.user_feature_last_seen',
  'curated.workspace_user_last_seen',
  'curated.feature_adoption_by_workspace',
];
/** Where a row was loaded from differs between the two stacks (line numbers and load times), not what it holds. */
const LOAD_COLUMNS = ['file_row', 'loaded_at'];

let workload: LandedWorkload;
let user: WorkloadUser;
/** The full workload landed and transformed, then the user erased. */
let erased: LocalStack;
/** The workload without the user's lines, landed and transformed from scratch: the expected result. */
let rebuilt: LocalStack;
let before: Map<string, string>;
let outcome: EraseUserOutcome;
let landedAt: number;

beforeAll(async () => {
  workload = await landWorkload(11, START);
  user = busiestUser(workload);
  landedAt = workload.end + 600_000;
  [erased, rebuilt] = await Promise.all([localStack(workload.catalog), localStack(workload.catalog)]);
  await Promise.all([
    erased.land(workload.objects, landedAt),
    rebuilt.land(withoutUser(workload, user), landedAt),
  ]);
  before = await erased.contents();
  outcome = await eraseUser(erased.deps(landedAt + 3_600_000), {
    userId: user.id,
    source: 'cli',
    requestedBy: 'spec',
  });
}, 60_000);

afterAll(async () => {
  await erased?.close();
  await rebuilt?.close();
});

describe('erasing one user of a generated workload (local folder, DuckDB)', () => {
  it('has a user with validated and rejected events spread over several objects to erase', () => {
    const counts = linesOf(workload, user);

    expect(counts.events).toBeGreaterThan(20);
    expect(counts.rejected).toBeGreaterThan(0);
    expect(outcome.kind).toBe('completed');
  });

  it('leaves no row holding the user id or its anonymous id in any table of the warehouse', async () => {
    expect(await rowsHolding(erased.warehouse, user.id)).toEqual({});
    expect(await rowsHolding(erased.warehouse, user.anonymousId)).toEqual({});
  });

  it('leaves no occurrence of the user id or its anonymous id in any raw object', async () => {
    const holding = [...(await erased.contents())].filter(
      ([, text]) => text.includes(user.id) || text.includes(user.anonymousId),
    );

    expect(holding.map(([key]) => key)).toEqual([]);
  });

  it('keeps every other line of every object, in order', async () => {
    const expected = new Map<string, string>();
    for (const [key, text] of before) {
      const kept = text
        .split('\n')
        .filter((l) => l !== '' && !isUsersLine(user, key, l))
        .map((l) => `${l}\n`)
        .join('');
      if (kept !== '') expected.set(key, kept);
    }

    expect(Object.fromEntries(await erased.contents())).toEqual(Object.fromEntries(expected));
  });

  it('leaves every aggregate equal to a full rebuild from the workload without the user', async () => {
    const actual = await snapshot(erased.warehouse, AGGREGATES);
    const expected = await snapshot(rebuilt.warehouse, AGGREGATES);

    for (const table of AGGREGATES)
      expect({ table, rows: actual[table] }).toEqual({ table, rows: expected[table] });
    expect(expected['curated.feature_usage_daily']?.length).toBeGreaterThan(100);
  });

  it('leaves the raw and fact rows of everyone else exactly as a rebuild without the user has them', async () => {
    const tables = ['raw.events', 'raw.rejected_events', 'curated.fct_feature_events'];
    const actual = await snapshot(erased.warehouse, tables, LOAD_COLUMNS);
    const expected = await snapshot(rebuilt.warehouse, tables, LOAD_COLUMNS);

    for (const table of tables)
      expect({ table, rows: actual[table] }).toEqual({ table, rows: expected[table] });
  });

  it('records the request: received, due 30 days later, each store done, what was removed, and the proof', async () => {
    const { request } = outcome;
    const counts = linesOf(workload, user);

    expect(request).toMatchObject({
      subjectHash: idHash(user.id),
      userId: null,
      anonymousIds: null,
      status: 'completed',
      step: 'done',
      source: 'cli',
      linesRemoved: counts.events + counts.rejected,
    });
    expect(request.dueAt.getTime() - request.receivedAt.getTime()).toBe(30 * 86_400_000);
    for (const at of [
      request.suppressedAt,
      request.objectsDoneAt,
      request.warehouseDoneAt,
      request.verifiedAt,
    ]) {
      expect(at).toBeInstanceOf(Date);
    }
    expect(request.rowsRemoved).toBeGreaterThan(counts.events);
    expect(request.rowsByTable?.['raw.events']).toBeGreaterThan(0);
    expect(request.rowsByTable?.['curated.fct_feature_events']).toBeGreaterThan(0);
    expect(request.objectsRewritten + request.objectsDeleted).toBeGreaterThan(1);
    expect(request.verification).toMatchObject({
      objectLines: 0,
      oldVersions: 0,
      rejectedRecords: 0,
      suppressed: true,
    });
    expect(Object.values(request.verification?.tables ?? {}).every((n) => n === 0)).toBe(true);
    expect(Object.keys(request.verification?.tables ?? {})).toEqual(
      expect.arrayContaining([
        'raw.events',
        'raw.rejected_events',
        'curated.fct_feature_events',
        'curated.user_feature_last_seen',
      ]),
    );
  });

  it('is a no-op the second time: it finds nothing and writes to no table and no object', async () => {
    const tables = await allTables(erased.warehouse);
    const tablesBefore = await snapshot(erased.warehouse, tables);
    const objectsBefore = await erased.contents();

    const again = await eraseUser(erased.deps(landedAt + 7_200_000), { userId: user.id, source: 'cli' });

    expect(again.kind).toBe('already_erased');
    expect(again.request.requestId).toBe(outcome.request.requestId);
    expect(await snapshot(erased.warehouse, tables)).toEqual(tablesBefore);
    expect(await erased.contents()).toEqual(objectsBefore);
  });
});
