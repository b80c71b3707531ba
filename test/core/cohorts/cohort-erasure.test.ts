import { eraseUser } from '#core/erasure/erase-user.ts';
import { snapshot } from '../../support/warehouse-db.ts';
import { busiestUser, rowsHolding, type WorkloadUser, withoutUser } from '../erasure/support/oracle.ts';
import { type LocalStack, localStack } from '../erasure/support/stack.ts';
import { type LandedWorkload, landWorkload } from '../erasure/support/workload.ts';
import { cohortTable, referenceCohorts } from './reference.ts';

const START = Date.parse('2025-04-07T00:00:00.000Z');
const COHORTS = ['curated.cohort_retention', 'curated.cohort_members', 'curated.cohort_user_weeks'];

let workload: LandedWorkload;
let user: WorkloadUser;
let erased: LocalStack;
let rebuilt: LocalStack;

beforeAll(async () => {
  workload = await landWorkload(31, START, { days: 3, eventsPerSecond: 0.003 });
  user = busiestUser(workload);
  const landedAt = workload.end + 600_000;
  [erased, rebuilt] = await Promise.all([localStack(workload.catalog), localStack(workload.catalog)]);
  await Promise.all([
    erased.land(workload.objects, landedAt),
    rebuilt.land(withoutUser(workload, user), landedAt),
  ]);
  await eraseUser(erased.deps(landedAt + 3_600_000), { userId: user.id, source: 'cli' });
}, 120_000);

afterAll(async () => {
  await erased?.close();
  await rebuilt?.close();
});

describe('erasing a user from the cohort tables', () => {
  it('leaves no row of the user in the cohort tables, or anywhere else', async () => {
    expect((await cohortTable(rebuilt.warehouse)).length).toBeGreaterThan(0);
    expect(await rowsHolding(erased.warehouse, user.id)).toEqual({});
  });

  it('leaves the cohorts equal to a build that never had the user, and to the cohorts of the fact', async () => {
    const actual = await snapshot(erased.warehouse, COHORTS);
    const expected = await snapshot(rebuilt.warehouse, COHORTS);
    for (const table of COHORTS)
      expect({ table, rows: actual[table] }).toEqual({ table, rows: expected[table] });
    expect(await cohortTable(erased.warehouse)).toEqual(await referenceCohorts(erased.warehouse));
  });
});
