import { createTransformHandler, TRANSFORM_METRICS } from '#adapters/aws/handlers/transform-handler.ts';
import type { Warehouse } from '#core/warehouse/ports.ts';
import { withTransformLock } from '#core/warehouse/runner.ts';
import { duckdbSql, testSqlLibrary } from '#test/support/sql-library.ts';
import { freshWarehouse } from '#test/support/warehouse-db.ts';
import { eventLine, testCatalog } from '#test/support/warehouse-events.ts';
import { load } from '#test/support/warehouse-pipeline.ts';

const NOW = new Date('2026-03-10T12:00:00.000Z');
/** An invocation with five minutes left, as EventBridge's schedule gives the transform. */
const context = { getRemainingTimeInMillis: () => 300_000 };

let warehouse: Warehouse;
let metrics: [string, string, number][];
let logged: [string, Record<string, unknown>][];

const handler = () =>
  createTransformHandler({
    warehouse,
    catalog: testCatalog(),
    library: testSqlLibrary('duckdb'),
    logger: {
      info: (message, attributes) => logged.push([message, attributes]),
      warn: (message, attributes) => logged.push([message, attributes]),
    },
    metrics: { addMetric: (name, unit, value) => metrics.push([name, unit, value]) },
    reserveMs: 60_000,
    now: () => NOW,
  });

beforeEach(async () => {
  warehouse = await freshWarehouse();
  metrics = [];
  logged = [];
  await load(
    warehouse,
    'events/2026/03/10/11/a.json.gz',
    '2026-03-10T11:30:00.000Z',
    ['e1', 'e2', 'e3'].map((id) => eventLine({ id, at: '2026-03-10T11:00:00.000Z', feature: 'editor' })),
  );
});
afterEach(() => warehouse.close());

describe('the transform Lambda handler', () => {
  it('runs the models, publishes the fact rows, the duration and skipped = 0, and logs the run', async () => {
    const result = await handler()(context);

    expect(result).toMatchObject({ outcome: 'ran', factRows: 3 });
    expect(metrics).toEqual([
      [TRANSFORM_METRICS.factRows, 'Count', 3],
      [TRANSFORM_METRICS.duration, 'Milliseconds', expect.any(Number)],
      [TRANSFORM_METRICS.skipped, 'Count', 0],
    ]);
    expect(logged.map(([message]) => message)).toEqual(['transform run']);
  });

  it('skips, without failing, a run that finds another holding the lock, and publishes skipped = 1', async () => {
    const result = await withTransformLock(
      { warehouse, catalog: testCatalog(), library: duckdbSql, owner: 'the-previous-run', clock: () => NOW },
      () => handler()(context),
    );

    expect(result).toMatchObject({ outcome: 'skipped', heldBy: 'the-previous-run' });
    expect(metrics).toEqual([[TRANSFORM_METRICS.skipped, 'Count', 1]]);
    expect(logged.map(([message]) => message)).toEqual(['transform skipped: lock held']);
  });
});
