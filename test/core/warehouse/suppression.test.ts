import { createDuckDbWarehouse } from '#adapters/duckdb/duckdb-warehouse.ts';
import type { ValidatedLine } from '#core/contract/envelope.ts';
import { idHash } from '#core/erasure/subject.ts';
import { runBackfill } from '#core/warehouse/backfill.ts';
import { applyWarehouseDdl } from '#core/warehouse/ddl.ts';
import { dimFeature, featureClosure } from '#core/warehouse/models/catalog.ts';
import { fctFeatureEvents } from '#core/warehouse/models/fct-feature-events.ts';
import { orderModels } from '#core/warehouse/models/index.ts';
import type { Warehouse } from '#core/warehouse/ports.ts';
import { executeRun } from '#core/warehouse/run-engine.ts';
import { EPOCH, FAR_FUTURE, withTransformLock } from '#core/warehouse/runner.ts';
import { runStatement } from '#core/warehouse/sql-exec.ts';
import { duckdbSql, testSqlLibrary } from '#test/support/sql-library.ts';
import { scenarioSeeds } from '../../support/property.ts';
import { CURATED_TABLES, freshWarehouse, snapshot } from '../../support/warehouse-db.ts';
import { eventLine, testCatalog } from '../../support/warehouse-events.ts';
import { load, rebuild, transform } from '../../support/warehouse-pipeline.ts';
import { randomLoads } from '../../support/warehouse-random.ts';

const sql = testSqlLibrary('duckdb');

/**
 * The curated tables a suppressed event must not reach. curated.user_index is left out: it indexes raw
 * rows, the suppressed ones too, which stay in raw until the erasure sweep erases them through it.
 */
const REPORTED_TABLES: readonly string[] = CURATED_TABLES.filter((t) => t !== 'curated.user_index');

/** Puts an id on the suppression list, as the erasure's suppress and resolve steps do. */
const suppress = (
  warehouse: Warehouse,
  id: string,
  kind: 'user' | 'anonymous',
  workspaceId: string | null = null,
) =>
  runStatement(warehouse, sql.statement('erasure/erased_users', 'add'), {
    id_hash: idHash(id),
    id_kind: kind,
    workspace_id: workspaceId,
    request_id: 'req-1',
    erased_at: '2026-03-09 00:00:00.000',
  });

type Suppression = {
  readonly suppressed_at: string;
  readonly run_id: string;
  readonly subject_hash: string;
  readonly events: number;
};

const staged = (warehouse: Warehouse): Promise<Suppression[]> =>
  warehouse.query<Suppression>(
    `SELECT CAST(suppressed_at AS VARCHAR) AS suppressed_at, run_id, subject_hash, CAST(events AS INTEGER) AS events
     FROM ops.erasure_suppressions WHERE stage = 'staging' ORDER BY suppressed_at, subject_hash`,
  );

const stagedTotal = async (warehouse: Warehouse): Promise<number> =>
  (await staged(warehouse)).reduce((sum, s) => sum + s.events, 0);

/** Rows of the curated tables whose JSON holds the text. */
const curatedHolding = async (warehouse: Warehouse, text: string): Promise<string[]> => {
  const found: string[] = [];
  for (const table of CURATED_TABLES) {
    const rows = await warehouse.query(`SELECT * FROM ${table}`);
    if (rows.some((r) => JSON.stringify(r).includes(text))) found.push(table);
  }
  return found;
};

const DAY1 = '2026-03-10';
const u1 = (id: string, hour: string) => eventLine({ id, at: `${DAY1}T${hour}:00:00.000Z`, user: 'u1' });
/** u2's event received long after it happened: an offline client's queue, sent after u2 was erased. */
const lateOfU2 = eventLine({
  id: 'late-u2',
  at: `${DAY1}T08:00:00.000Z`,
  receivedAt: `${DAY1}T11:40:00.000Z`,
  user: 'u2',
  workspace: 'ws-acme',
  feature: 'sharing.link',
});

describe('suppression at staging: events of erased users', () => {
  const warehouses: Warehouse[] = [];
  const fresh = async (): Promise<Warehouse> => {
    const warehouse = await freshWarehouse();
    warehouses.push(warehouse);
    return warehouse;
  };
  afterEach(async () => {
    for (const warehouse of warehouses.splice(0)) await warehouse.close();
  });

  it("keeps an erased user's late event out of the fact and every aggregate, and other users' events of the same load in", async () => {
    const erased = await fresh();
    const expected = await fresh();
    await suppress(erased, 'u2', 'user');
    // two independent warehouses: each one's runs go side by side with the other's
    await Promise.all(
      [erased, expected].map(async (warehouse) => {
        await load(warehouse, 'events/a.ndjson.gz', `${DAY1}T10:00:00.000Z`, [u1('a1', '09')]);
        await transform(warehouse, `${DAY1}T10:05:00.000Z`);
      }),
    );

    await load(erased, 'events/b.ndjson.gz', `${DAY1}T12:00:00.000Z`, [u1('b1', '11'), lateOfU2]);
    await load(expected, 'events/b.ndjson.gz', `${DAY1}T12:00:00.000Z`, [u1('b1', '11')]);
    await Promise.all([
      transform(erased, `${DAY1}T12:05:00.000Z`),
      transform(expected, `${DAY1}T12:05:00.000Z`),
    ]);

    expect(await snapshot(erased, REPORTED_TABLES)).toEqual(await snapshot(expected, REPORTED_TABLES));
    expect(await curatedHolding(erased, '"u2"')).toEqual([]);
    const [fact] = await erased.query('SELECT count(*) AS n FROM curated.fct_feature_events');
    expect(Number(fact?.n)).toBe(2);
    // raw keeps it until the daily erasure sweep removes it, raw objects included
    expect(await erased.query("SELECT event_id FROM raw.events WHERE user_id = 'u2'")).toEqual([
      { event_id: 'late-u2' },
    ]);
  });

  it("counts the rows it keeps out per erased id, with the run's id and clock", async () => {
    const warehouse = await fresh();
    await suppress(warehouse, 'u2', 'user');
    const copy = { ...lateOfU2, received_at: `${DAY1}T11:50:00.000Z` };
    await load(warehouse, 'events/b.ndjson.gz', `${DAY1}T12:00:00.000Z`, [u1('b1', '11'), lateOfU2, copy]);

    const report = await transform(warehouse, `${DAY1}T12:05:00.000Z`);

    expect(await staged(warehouse)).toEqual([
      { suppressed_at: `${DAY1} 12:05:00`, run_id: report.runId, subject_hash: idHash('u2'), events: 2 },
    ]);
    expect(
      await warehouse.query(
        "SELECT DISTINCT run_id FROM ops.model_runs WHERE model_name = 'fct_feature_events'",
      ),
    ).toEqual([{ run_id: report.runId }]);
  });

  it('counts a row once however often it is read again: the next run’s overlap, a backfill, a rebuild', async () => {
    const warehouse = await fresh();
    await suppress(warehouse, 'u2', 'user');
    await load(warehouse, 'events/b.ndjson.gz', `${DAY1}T12:00:00.000Z`, [lateOfU2]);
    await transform(warehouse, `${DAY1}T12:01:00.000Z`);
    // loaded 3 minutes later: the run reads back 10 minutes, so it reads the first file again
    await load(warehouse, 'events/c.ndjson.gz', `${DAY1}T12:03:00.000Z`, [u1('c1', '12')]);
    const next = await transform(warehouse, `${DAY1}T12:04:00.000Z`);
    expect(next.window.loadedAfter.getTime()).toBeLessThan(Date.parse(`${DAY1}T12:00:00.000Z`));

    await runBackfill({
      library: duckdbSql,
      warehouse,
      catalog: testCatalog(),
      clock: () => new Date(`${DAY1}T13:00:00.000Z`),
      from: DAY1,
      to: DAY1,
    });
    await rebuild(warehouse, `${DAY1}T14:00:00.000Z`);

    expect(await stagedTotal(warehouse)).toBe(1);
    expect(await curatedHolding(warehouse, '"u2"')).toEqual([]);
  });

  it("drops an erased anonymous id's events without a user id, and keeps another user's event on that device", async () => {
    const warehouse = await fresh();
    await suppress(warehouse, 'device-9', 'anonymous');
    const at = (h: string) => `${DAY1}T${h}:00:00.000Z`;
    await load(warehouse, 'events/b.ndjson.gz', `${DAY1}T12:00:00.000Z`, [
      eventLine({ id: 'pre-login', at: at('09'), user: null, anonymousId: 'device-9' }),
      eventLine({ id: 'shared-device', at: at('10'), user: 'u3', anonymousId: 'device-9' }),
      eventLine({ id: 'other-device', at: at('11'), user: null, anonymousId: 'device-1' }),
    ]);

    await transform(warehouse, `${DAY1}T12:05:00.000Z`);

    expect(
      await warehouse.query('SELECT event_id FROM curated.fct_feature_events ORDER BY event_id'),
    ).toEqual([{ event_id: 'other-device' }, { event_id: 'shared-device' }]);
    expect(await staged(warehouse)).toEqual([
      expect.objectContaining({ subject_hash: idHash('device-9'), events: 1 }),
    ]);
  });

  it("with a workspace entry, drops the user's events in that workspace only", async () => {
    const warehouse = await fresh();
    await suppress(warehouse, 'u2', 'user', 'ws-b');
    const at = (h: string) => `${DAY1}T${h}:00:00.000Z`;
    await load(warehouse, 'events/b.ndjson.gz', `${DAY1}T12:00:00.000Z`, [
      eventLine({ id: 'in-b', at: at('09'), user: 'u2', workspace: 'ws-b' }),
      eventLine({ id: 'in-a', at: at('10'), user: 'u2', workspace: 'ws-a' }),
      eventLine({ id: 'no-workspace', at: at('11'), user: 'u2', workspace: null }),
    ]);

    await transform(warehouse, `${DAY1}T12:05:00.000Z`);

    expect(
      await warehouse.query('SELECT event_id FROM curated.fct_feature_events ORDER BY event_id'),
    ).toEqual([{ event_id: 'in-a' }, { event_id: 'no-workspace' }]);
    expect(await stagedTotal(warehouse)).toBe(1);
  });

  it('never matches an id that only starts like an erased one (hashes compare whole ids)', async () => {
    const warehouse = await fresh();
    await suppress(warehouse, 'u-12', 'user');
    await load(warehouse, 'events/b.ndjson.gz', `${DAY1}T12:00:00.000Z`, [
      eventLine({ id: 'longer', at: `${DAY1}T09:00:00.000Z`, user: 'u-123' }),
    ]);

    await transform(warehouse, `${DAY1}T12:05:00.000Z`);

    expect(await warehouse.query('SELECT event_id FROM curated.fct_feature_events')).toEqual([
      { event_id: 'longer' },
    ]);
    expect(await staged(warehouse)).toEqual([]);
  });
});

/** The erased ids of the random scenarios: a user everywhere, a device, a user in one workspace. */
const ERASED = { user: 'u2', device: 'device-2', scoped: { user: 'u4', workspace: 'ws-b' } };
/** Which entry of the list an event falls under, if any. */
const erasedAs = (line: ValidatedLine): 'user' | 'device' | 'scoped' | null => {
  if (line.user_id === ERASED.user) return 'user';
  if (line.user_id === null && line.anonymous_id === ERASED.device) return 'device';
  if (line.user_id === ERASED.scoped.user && line.workspace_id === ERASED.scoped.workspace) return 'scoped';
  return null;
};

const oneMinuteAfter = (iso: string): string => new Date(Date.parse(iso) + 60_000).toISOString();

describe('suppression against a full rebuild and against never having the events', () => {
  it.each(scenarioSeeds([3, 11], [11]))(
    'incremental runs, a rebuild, and loads without the erased events give the same curated tables (seed %i)',
    async (seed) => {
      const loads = randomLoads(seed, 12);
      const [incremental, rebuilt, without] = await Promise.all([
        freshWarehouse(),
        freshWarehouse(),
        freshWarehouse(),
      ]);
      try {
        for (const warehouse of [incremental, rebuilt]) {
          await suppress(warehouse, ERASED.user, 'user');
          await suppress(warehouse, ERASED.device, 'anonymous');
          await suppress(warehouse, ERASED.scoped.user, 'user', ERASED.scoped.workspace);
        }
        const erased = { user: 0, device: 0, scoped: 0 };
        for (const { files } of loads) {
          for (const file of files) {
            for (const line of file.lines) {
              const as = erasedAs(line);
              if (as !== null) erased[as] += 1;
            }
          }
        }
        const end = oneMinuteAfter(loads.at(-1)?.loadedAt ?? '');
        // Three independent warehouses, each fed in load order: they run side by side, each on its own connection.
        await Promise.all([
          (async () => {
            for (const { loadedAt, files } of loads) {
              for (const file of files) await load(incremental, file.name, loadedAt, file.lines);
              await transform(incremental, oneMinuteAfter(loadedAt));
            }
          })(),
          (async () => {
            for (const { loadedAt, files } of loads) {
              for (const file of files) await load(rebuilt, file.name, loadedAt, file.lines);
            }
            await rebuild(rebuilt, end);
          })(),
          (async () => {
            for (const { loadedAt, files } of loads) {
              for (const file of files) {
                const kept = file.lines.filter((l) => erasedAs(l) === null);
                if (kept.length > 0) await load(without, file.name, loadedAt, kept);
              }
            }
            await rebuild(without, end);
          })(),
        ]);

        const expected = await snapshot(without, CURATED_TABLES, ['file_row']);
        const actual = await snapshot(incremental, CURATED_TABLES, ['file_row']);
        const fromRebuild = await snapshot(rebuilt, CURATED_TABLES, ['file_row']);
        for (const table of CURATED_TABLES) {
          expect({ table, rows: fromRebuild[table] }).toEqual({ table, rows: actual[table] });
          if (REPORTED_TABLES.includes(table)) {
            expect({ table, rows: actual[table] }).toEqual({ table, rows: expected[table] });
          }
        }
        // the scenario had events under each kind of entry, each row counted once
        expect(Math.min(erased.user, erased.device, erased.scoped)).toBeGreaterThan(0);
        const rows = erased.user + erased.device + erased.scoped;
        expect(await stagedTotal(incremental)).toBe(rows);
        expect(await stagedTotal(rebuilt)).toBe(rows);
      } finally {
        await Promise.all([incremental.close(), rebuilt.close(), without.close()]);
      }
    },
    // 36 transforms and two rebuilds: as long as the incremental-equals-rebuild spec allows, for a loaded CI
    120_000,
  );
});

describe('a warehouse created by applyWarehouseDdl alone', () => {
  it('has the suppression tables the fact model reads and writes at every run', async () => {
    const warehouse = await createDuckDbWarehouse({ threads: 1 });
    try {
      await applyWarehouseDdl(warehouse, duckdbSql);
      await suppress(warehouse, 'u2', 'user');
      await load(warehouse, 'events/b.ndjson.gz', `${DAY1}T12:00:00.000Z`, [u1('b1', '11'), lateOfU2]);
      const models = orderModels([dimFeature, featureClosure, fctFeatureEvents]);

      const report = await withTransformLock(
        { warehouse, catalog: testCatalog(), library: sql, clock: () => new Date(`${DAY1}T12:05:00.000Z`) },
        ({ deps }) =>
          executeRun(deps, {
            mode: 'incremental',
            models,
            window: async () => ({
              loadedAfter: EPOCH,
              loadedUntil: new Date(`${DAY1}T12:00:00.000Z`),
              eventFrom: EPOCH,
              eventBefore: FAR_FUTURE,
              forced: null,
            }),
            clearFirst: false,
            advanceWatermarks: true,
          }),
      );

      expect(report.models.find((m) => m.model === 'fct_feature_events')).toMatchObject({ rowsWritten: 1 });
      expect(await stagedTotal(warehouse)).toBe(1);
    } finally {
      await warehouse.close();
    }
  });
});
