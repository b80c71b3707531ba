import { eraseUser } from '#core/erasure/erase-user.ts';
import type { ErasureProgress } from '#core/erasure/erasure-context.ts';
import { ErasureLockedError, ErasureStepError } from '#core/erasure/errors.ts';
import { scanPartitions } from '#core/erasure/partitions.ts';
import type { ObjectStore } from '#core/erasure/ports.ts';
import type { ErasureRequest } from '#core/erasure/request-record.ts';
import type { Warehouse } from '#core/warehouse/ports.ts';
import { snapshot } from '../../support/warehouse-db.ts';
import {
  crashingStore,
  crashingWarehouse,
  InjectedCrash,
  leaveLocksHeld,
  rootCause,
} from './support/faults.ts';
import { busiestUser, type WorkloadUser } from './support/oracle.ts';
import { type LocalStack, landedStacks } from './support/stack.ts';
import { type LandedWorkload, landWorkload } from './support/workload.ts';

const START = Date.parse('2025-03-10T00:00:00.000Z');
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

let workload: LandedWorkload;
let user: WorkloadUser;
let landedAt: number;
/** An erasure that was never interrupted: what every resumed one must end as. */
let reference: { contents: Map<string, string>; tables: Record<string, string[]>; request: ErasureRequest };
const stacks: LocalStack[] = [];
/** A stack of its own for a test, with the workload landed at `landedAt` (a copy of one landing). */
let copyOfLanded: () => Promise<LocalStack>;

const landed = async (): Promise<LocalStack> => {
  const stack = await copyOfLanded();
  stacks.push(stack);
  return stack;
};

const erase = (stack: LocalStack, at: number, extra: { objects?: ObjectStore; warehouse?: Warehouse } = {}) =>
  eraseUser(stack.deps(at, extra), { userId: user.id, source: 'cli' });

/** Crashes an erasure with the fault, leaves its locks held as a dead process would, and resumes it later. */
const crashThenResume = async (
  stack: LocalStack,
  fault: { objects?: ObjectStore; warehouse?: Warehouse },
  onProgress?: (event: ErasureProgress) => void,
) => {
  const crashAt = landedAt + 3_600_000;
  const crash = await erase(stack, crashAt, fault).catch((error: unknown) => error);
  expect(crash).toBeInstanceOf(ErasureStepError);
  expect(rootCause(crash)).toBeInstanceOf(InjectedCrash);
  await leaveLocksHeld(stack.warehouse, crashAt);
  await expect(erase(stack, crashAt + 60_000)).rejects.toBeInstanceOf(ErasureLockedError);
  return eraseUser(stack.deps(crashAt + 30 * 60_000, onProgress ? { onProgress } : {}), {
    userId: user.id,
    source: 'cli',
  });
};

const expectSameEndAsReference = async (stack: LocalStack, request: ErasureRequest) => {
  expect(Object.fromEntries(await stack.contents())).toEqual(Object.fromEntries(reference.contents));
  expect(await snapshot(stack.warehouse, TABLES)).toEqual(reference.tables);
  expect(request).toMatchObject({
    status: 'completed',
    linesRemoved: reference.request.linesRemoved,
    objectsRewritten: reference.request.objectsRewritten,
    objectsDeleted: reference.request.objectsDeleted,
    rowsRemoved: reference.request.rowsRemoved,
  });
};

beforeAll(async () => {
  workload = await landWorkload(5, START, { eventsPerSecond: 0.003 });
  user = busiestUser(workload);
  landedAt = workload.end + 600_000;
  copyOfLanded = await landedStacks(workload.catalog, workload.objects, landedAt);
  const stack = await landed();
  const outcome = await erase(stack, landedAt + 3_600_000);
  reference = {
    contents: await stack.contents(),
    tables: await snapshot(stack.warehouse, TABLES),
    request: outcome.request,
  };
}, 60_000);

afterAll(async () => {
  for (const stack of stacks) await stack.close();
});

describe('an erasure interrupted by a crash', () => {
  it("resumes at the partition after the last one it finished, once the dead run's lock expires, and ends as an uninterrupted one", async () => {
    const stack = await landed();
    const messages: string[] = [];

    const outcome = await crashThenResume(
      stack,
      { objects: crashingStore(stack.store, 'replace', 20) },
      (p) => {
        if (p.step === 'objects') messages.push(p.message);
      },
    );

    expect(outcome).toMatchObject({ kind: 'completed', resumed: true });
    await expectSameEndAsReference(stack, outcome.request);
    const partitions = scanPartitions(
      outcome.request.scan ?? { from: null, to: null, recentFrom: '', recentTo: '' },
    ).map((p) => p.path);
    const read = messages.filter((m) => partitions.some((p) => m.startsWith(p)));
    const resumedAt = partitions.findIndex((p) => read[0]?.startsWith(p));
    expect(messages[0]).toBe('resuming at step objects');
    expect(resumedAt).toBeGreaterThan(1);
    expect(read).toHaveLength(partitions.length - resumedAt);
  });

  it('finishes an object written just before the crash: its old versions are purged and its removed lines counted', async () => {
    const stack = await landed();

    const outcome = await crashThenResume(stack, {
      objects: crashingStore(stack.store, 'purgeOldVersions', 2),
    });

    await expectSameEndAsReference(stack, outcome.request);
    const pending = await stack.warehouse.query(
      "SELECT count(*) AS n FROM ops.erasure_objects WHERE status = 'pending'",
    );
    expect(pending).toEqual([{ n: 0 }]);
  });

  it('rolls the warehouse step back whole when it fails midway, then completes it on resume', async () => {
    const stack = await landed();
    const crashAt = landedAt + 3_600_000;
    const failing = crashingWarehouse(stack.warehouse, 'INSERT INTO curated.feature_usage_weekly');

    await expect(erase(stack, crashAt, { warehouse: failing })).rejects.toBeInstanceOf(ErasureStepError);
    const [left] = await stack.warehouse.query<{ n: number }>(
      `SELECT count(*) AS n FROM raw.events WHERE user_id = '${user.id}'`,
    );
    const [request] = await stack.warehouse.query<{ step: string }>('SELECT step FROM ops.erasure_requests');
    expect(left?.n).toBeGreaterThan(0);
    expect(request?.step).toBe('warehouse');

    const outcome = await erase(stack, crashAt + 60_000);

    await expectSameEndAsReference(stack, outcome.request);
  });

  it('completes a verification that was interrupted', async () => {
    const stack = await landed();

    const outcome = await crashThenResume(stack, {
      objects: crashingStore(stack.store, 'countOldVersions', 1),
    });

    await expectSameEndAsReference(stack, outcome.request);
  });

  it('logs every step run, the failed one with its error, in ops.erasure_steps', async () => {
    const stack = stacks[1]!;

    const steps = await stack.warehouse.query<{ step: string; status: string; error: string | null }>(
      'SELECT step, status, error FROM ops.erasure_steps ORDER BY started_at, status DESC',
    );

    expect(steps.map((s) => `${s.step}:${s.status}`)).toEqual([
      'suppress:succeeded',
      'resolve:succeeded',
      'objects:failed',
      'objects:succeeded',
      'warehouse:succeeded',
      'verify:succeeded',
    ]);
    expect(steps[2]?.error).toContain('injected crash at ObjectStore.replace call 20');
  });
});
