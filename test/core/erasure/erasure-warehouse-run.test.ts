import { loadFeatureCatalog } from '#adapters/node/load-feature-catalog.ts';
import { eraseUser } from '#core/erasure/erase-user.ts';
import { ERASURE_MODEL } from '#core/erasure/steps/warehouse.ts';
import { lineText } from './support/lines.ts';
import { type LocalStack, landedStacks } from './support/stack.ts';

const LANDED_AT = Date.parse('2025-03-04T10:00:00.000Z');
const ERASED_AT = LANDED_AT + 3_600_000;
const EVENTS_KEY = 'events/dt=2025-03-04/hr=09/tally-events-1-2025-03-04-09-11-00-a.json.gz';

let stack: LocalStack;
/** Every test erases on its stack: each gets its own copy of the one landed here. */
let copyOfLanded: () => Promise<LocalStack>;

beforeAll(async () => {
  const catalog = await loadFeatureCatalog('schemas/features.json');
  // u-12 is the only user of ws-globex; ws-acme has u-123 and u-77 as well
  copyOfLanded = await landedStacks(
    catalog,
    [
      {
        key: EVENTS_KEY,
        lines: [
          'event_of_user',
          'event_of_user_other_workspace',
          'event_of_longer_id',
          'shared_device_event',
        ].map(lineText),
      },
    ],
    LANDED_AT,
  );
});

beforeEach(async () => {
  stack = await copyOfLanded();
});
afterEach(() => stack.close());

const adoptionWorkspaces = async (): Promise<string[]> =>
  (
    await stack.warehouse.query<{ workspace_id: string }>(
      'SELECT DISTINCT workspace_id FROM curated.feature_adoption_by_workspace ORDER BY 1',
    )
  ).map((r) => r.workspace_id);

describe("the erasure's warehouse run", () => {
  it('leaves no adoption row for a workspace whose only user it erased, and keeps the other workspaces', async () => {
    expect(await adoptionWorkspaces()).toEqual(['ws-acme', 'ws-globex']);

    await eraseUser(stack.deps(ERASED_AT), { userId: 'u-12', source: 'cli' });

    expect(await adoptionWorkspaces()).toEqual(['ws-acme']);
    const [acme] = await stack.warehouse.query(
      "SELECT MAX(workspace_active_users_28d) AS users FROM curated.feature_adoption_by_workspace WHERE workspace_id = 'ws-acme'",
    );
    expect(Number(acme?.users)).toBe(2);
  });

  it("is logged in ops.model_runs with mode 'erasure', its model and every aggregate it recomputed", async () => {
    await eraseUser(stack.deps(ERASED_AT), { userId: 'u-12', source: 'cli' });

    const runs = await stack.warehouse.query<{ model_name: string; status: string }>(
      "SELECT model_name, status FROM ops.model_runs WHERE mode = 'erasure' ORDER BY model_name",
    );
    expect(runs.map((r) => r.model_name)).toEqual(
      expect.arrayContaining([
        ERASURE_MODEL,
        'feature_usage_daily',
        'user_feature_last_seen',
        'feature_adoption_by_workspace',
      ]),
    );
    expect(runs.every((r) => r.status === 'succeeded')).toBe(true);
    expect(
      await stack.warehouse.query(
        "SELECT count(DISTINCT run_id) AS runs FROM ops.model_runs WHERE mode = 'erasure'",
      ),
    ).toEqual([{ runs: 1 }]);
  });

  it('keeps no watermark for its own model, and moves no watermark of the transform', async () => {
    const before = await stack.warehouse.query(
      'SELECT model_name, loaded_at_watermark, run_id FROM ops.watermarks ORDER BY 1',
    );

    await eraseUser(stack.deps(ERASED_AT), { userId: 'u-12', source: 'cli' });

    expect(
      await stack.warehouse.query(
        'SELECT model_name, loaded_at_watermark, run_id FROM ops.watermarks ORDER BY 1',
      ),
    ).toEqual(before);
    expect(
      await stack.warehouse.query(
        `SELECT watermark_from, watermark_to FROM ops.model_runs WHERE model_name = '${ERASURE_MODEL}'`,
      ),
    ).toEqual([{ watermark_from: null, watermark_to: null }]);
  });
});
