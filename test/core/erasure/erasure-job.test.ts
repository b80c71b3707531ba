import { objectKey } from '#adapters/local/bucket-layout.ts';
import { eraseUser } from '#core/erasure/erase-user.ts';
import { parseErasureEvent, runErasureJob, statusMetrics } from '#core/erasure/erasure-job.ts';
import { acquireErasureLock } from '#core/erasure/erasure-lock.ts';
import { ErasureRequestError } from '#core/erasure/errors.ts';
import { ERASURE_METRICS } from '#core/erasure/metric-names.ts';
import { idHash } from '#core/erasure/subject.ts';
import { TransformLockedError } from '#core/warehouse/errors.ts';
import { releaseLock, tryAcquireLock } from '#core/warehouse/run-lock.ts';
import { testSqlLibrary } from '#test/support/sql-library.ts';
import { crashingStore } from './support/faults.ts';
import { busiestUser, rowsHolding, type WorkloadUser } from './support/oracle.ts';
import { type LocalStack, landedStacks, localStack } from './support/stack.ts';
import { type LandedWorkload, landWorkload } from './support/workload.ts';

const START = Date.parse('2025-03-17T00:00:00.000Z');
const DAY = 86_400_000;

let workload: LandedWorkload;
let user: WorkloadUser;
let landedAt: number;
const stacks: LocalStack[] = [];
/** A stack of its own for a test, with the workload landed at `landedAt` (a copy of one landing). */
let copyOfLanded: () => Promise<LocalStack>;

const landed = async (): Promise<LocalStack> => {
  const stack = await copyOfLanded();
  stacks.push(stack);
  return stack;
};

/** A validated line of the user, received `at`: one of theirs, sent again later by an offline client. */
const lateLineOf = (at: number): string => {
  const line = workload.objects
    .filter((o) => o.key.startsWith('events/'))
    .flatMap((o) => o.lines)
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .find((l) => l.user_id === user.id);
  const received = new Date(at).toISOString();
  return JSON.stringify({
    ...line,
    dedup_key: 'late-0001',
    event_id: 'late-0001',
    received_at: received,
    sent_at: received,
  });
};

const metric = (metrics: readonly { name: string; value: number }[], name: string) =>
  metrics.find((m) => m.name === name)?.value;

beforeAll(async () => {
  workload = await landWorkload(3, START, { eventsPerSecond: 0.003 });
  user = busiestUser(workload);
  landedAt = workload.end + 600_000;
  copyOfLanded = await landedStacks(workload.catalog, workload.objects, landedAt);
}, 60_000);

afterAll(async () => {
  for (const stack of stacks) await stack.close();
});

describe('the scheduled erasure run', () => {
  it("keeps an erased user's event loaded after the erasure out of every curated table, counted at staging", async () => {
    const stack = await landed();
    await eraseUser(stack.deps(landedAt + 3_600_000), { userId: user.id, source: 'cli' });
    const lateAt = landedAt + 2 * DAY;

    await stack.land(
      [{ key: objectKey('events', 'tally-events', new Date(lateAt)), lines: [lateLineOf(lateAt)] }],
      lateAt,
    );

    expect(await rowsHolding(stack.warehouse, user.id)).toEqual({ 'raw.events': 1 });
    expect(
      await stack.warehouse.query('SELECT stage, subject_hash, events FROM ops.erasure_suppressions'),
    ).toEqual([{ stage: 'staging', subject_hash: idHash(user.id), events: 1 }]);
  });

  it("finds an erased user's event loaded after the erasure, counts it, and erases it through a new request", async () => {
    const stack = stacks[0]!;
    const lateAt = landedAt + 2 * DAY;

    const result = await runErasureJob(stack.deps(lateAt + 3_600_000), {});

    expect(result.sweep?.subjects).toEqual([
      expect.objectContaining({ kind: 'user', subjectHash: idHash(user.id), events: 1, created: true }),
    ]);
    expect(result.completed).toEqual([result.sweep?.subjects[0]?.requestId]);
    expect(metric(result.metrics, ERASURE_METRICS.lateEvents)).toBe(1);
    expect(await rowsHolding(stack.warehouse, user.id)).toEqual({});
    expect([...(await stack.contents()).values()].some((text) => text.includes(user.id))).toBe(false);
    const suppressions = await stack.warehouse.query(
      'SELECT stage, subject_hash, events FROM ops.erasure_suppressions ORDER BY stage',
    );
    expect(suppressions).toEqual([
      { stage: 'staging', subject_hash: idHash(user.id), events: 1 },
      { stage: 'sweep', subject_hash: idHash(user.id), events: 1 },
    ]);
    // the raw row is gone, and staging's record of it with it
    expect(await stack.warehouse.query('SELECT * FROM ops.erasure_staged_rows')).toEqual([]);
  });

  it('reads only the loads since the previous sweep', async () => {
    const stack = stacks[0]!;

    const again = await runErasureJob(stack.deps(landedAt + 3 * DAY), {});

    expect(again.sweep?.subjects).toEqual([]);
    expect(again.sweep?.loadedAfter.getTime()).toBeGreaterThan(landedAt);
    expect(again.completed).toEqual([]);
  });

  it('completes a request an earlier run left open', async () => {
    const stack = await landed();
    const at = landedAt + 3_600_000;
    await expect(
      eraseUser(stack.deps(at, { objects: crashingStore(stack.store, 'replace', 1) }), {
        userId: user.id,
        source: 'cli',
      }),
    ).rejects.toThrow('injected crash');

    const result = await runErasureJob(stack.deps(at + 60_000), {});

    expect(result.completed).toHaveLength(1);
    expect(result.failed).toEqual([]);
    expect(await rowsHolding(stack.warehouse, user.id)).toEqual({});
  });

  it('does nothing but report when another erasure run holds the lock', async () => {
    const stack = await landed();
    const at = landedAt + 3_600_000;
    const db = { warehouse: stack.warehouse, sql: testSqlLibrary('duckdb') };
    await acquireErasureLock({ db, owner: 'other-run', ttlMinutes: 20 }, new Date(at));

    const result = await runErasureJob(stack.deps(at + 60_000), {});

    expect(result).toMatchObject({ completed: [], failed: [], sweep: null });
    expect(metric(result.metrics, ERASURE_METRICS.open)).toBe(0);
  });
});

describe('an erasure meeting a transform run', () => {
  const transformRun = (stack: LocalStack) => ({
    warehouse: stack.warehouse,
    sql: testSqlLibrary('duckdb'),
    owner: 'transform-run',
    ttlMinutes: 20,
  });

  it('waits twice, 10 s each, for a transform holding the lock, then fails its warehouse step for this run', async () => {
    const stack = await landed();
    const at = landedAt + 3_600_000;
    expect(await tryAcquireLock(transformRun(stack), new Date(at))).toBeNull();
    const sleeps: number[] = [];
    const waiting: string[] = [];

    const erasure = eraseUser(
      stack.deps(at + 60_000, {
        sleep: async (ms) => {
          sleeps.push(ms);
        },
        onProgress: ({ step, message }) => {
          if (message.endsWith('; waiting')) waiting.push(step);
        },
      }),
      { userId: user.id, source: 'cli' },
    );

    await expect(erasure).rejects.toMatchObject({ cause: expect.any(TransformLockedError) });
    expect(sleeps).toEqual([10_000, 10_000]);
    expect(waiting).toEqual(['warehouse', 'warehouse']);
  });

  it('goes on once the transform frees the lock while it waits', async () => {
    const stack = await landed();
    const at = landedAt + 3_600_000;
    await tryAcquireLock(transformRun(stack), new Date(at));

    const outcome = await eraseUser(
      stack.deps(at + 60_000, { sleep: () => releaseLock(transformRun(stack)) }),
      { userId: user.id, source: 'cli' },
    );

    expect(outcome.request.status).toBe('completed');
    expect(await rowsHolding(stack.warehouse, user.id)).toEqual({});
  });
});

describe('the overdue metric', () => {
  it('counts a request still open 15 days after receipt as overdue, and 30 days after as past due', async () => {
    const stack = await localStack(workload.catalog);
    stacks.push(stack);
    const at = landedAt + 3_600_000;
    await expect(
      eraseUser(stack.deps(at, { objects: crashingStore(stack.store, 'list', 1) }), {
        userId: user.id,
        source: 'cli',
      }),
    ).rejects.toThrow('injected crash');

    const day14 = await statusMetrics(stack.deps(at + 14 * DAY));
    const day16 = await statusMetrics(stack.deps(at + 16 * DAY));
    const day31 = await statusMetrics(stack.deps(at + 31 * DAY));

    expect(day14).toEqual([
      { name: 'ErasureOverdueRequests', value: 0 },
      { name: 'ErasureRequestsPastDue', value: 0 },
      { name: 'ErasureRequestsOpen', value: 1 },
    ]);
    expect(metric(day16, ERASURE_METRICS.overdue)).toBe(1);
    expect(metric(day16, ERASURE_METRICS.pastDue)).toBe(0);
    expect(metric(day31, ERASURE_METRICS.pastDue)).toBe(1);
  });
});

describe('the admin payload', () => {
  it('erases the user it names now and reports the request completed', async () => {
    const stack = await landed();

    const result = await runErasureJob(stack.deps(landedAt + 3_600_000), {
      action: 'erase',
      user_id: user.id,
      requested_by: 'ticket DPO-42',
    });

    expect(result.kind).toBe('erase');
    expect(result.erase).toMatchObject({
      kind: 'completed',
      request: { source: 'admin', requestedBy: 'ticket DPO-42' },
    });
    expect(await rowsHolding(stack.warehouse, user.id)).toEqual({});
  });

  it('refuses a malformed payload, naming every problem', () => {
    const attempt = () => parseErasureEvent({ action: 'forget', user_id: 42, workspace_id: 7 });

    expect(attempt).toThrow(ErasureRequestError);
    expect(attempt).toThrow(
      'invalid erasure request: action must be "erase", got "forget"; user_id must be a string; workspace_id must be a string',
    );
  });

  it('treats any other invocation (the schedule) as the scheduled run', () => {
    expect(parseErasureEvent({ 'detail-type': 'Scheduled Event', source: 'aws.scheduler' })).toBe(
      'scheduled',
    );
    expect(parseErasureEvent(undefined)).toBe('scheduled');
  });
});
