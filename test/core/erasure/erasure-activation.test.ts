import { applyActivationDdl } from '#core/activation/ddl.ts';
import { eraseUser } from '#core/erasure/erase-user.ts';
import { duckdbSql } from '#test/support/sql-library.ts';
import { snapshot } from '../../support/warehouse-db.ts';
import { busiestUser, rowsHolding, type WorkloadUser, withoutUser } from './support/oracle.ts';
import { type LocalStack, localStack } from './support/stack.ts';
import { type LandedWorkload, landWorkload } from './support/workload.ts';

const START = Date.parse('2025-04-07T00:00:00.000Z');
const ACTIVATION = ['curated.user_first_last', 'curated.activation_states', 'curated.activation_summary'];
const DAY = 86_400_000;

let workload: LandedWorkload;
let user: WorkloadUser;
let erased: LocalStack;
let rebuilt: LocalStack;

beforeAll(async () => {
  workload = await landWorkload(29, START, { days: 3, eventsPerSecond: 0.003 });
  user = busiestUser(workload);
  const landedAt = workload.end + 600_000;
  const options = {
    ddl: (w: Parameters<typeof applyActivationDdl>[0]) => applyActivationDdl(w, duckdbSql),
  };
  [erased, rebuilt] = await Promise.all([
    localStack(workload.catalog, options),
    localStack(workload.catalog, options),
  ]);
  await Promise.all([
    erased.land(workload.objects, landedAt),
    rebuilt.land(withoutUser(workload, user), landedAt),
  ]);
  await eraseUser(erased.deps(landedAt + 3_600_000), { userId: user.id, source: 'cli' });
  // Both build their activation periods up to the same day before they are compared.
  const later = landedAt + 2 * DAY;
  await Promise.all([erased.transform(later), rebuilt.transform(later)]);
}, 60_000);

afterAll(async () => {
  await erased?.close();
  await rebuilt?.close();
});

describe('erasing a user when the activation models run (FirstLast, states, summary)', () => {
  it('had activation rows of the user to erase', async () => {
    const [states] = await rebuilt.warehouse.query<{ n: number }>(
      'SELECT count(*) AS n FROM curated.activation_states',
    );
    expect(states?.n).toBeGreaterThan(0);
  });

  it('leaves no row of the user in the activation tables, or anywhere else', async () => {
    expect(await rowsHolding(erased.warehouse, user.id)).toEqual({});
  });

  it('leaves FirstLast, the states and the summaries equal to a rebuild without the user', async () => {
    const actual = await snapshot(erased.warehouse, ACTIVATION);
    const expected = await snapshot(rebuilt.warehouse, ACTIVATION);

    for (const table of ACTIVATION)
      expect({ table, rows: actual[table] }).toEqual({ table, rows: expected[table] });
  });
});
