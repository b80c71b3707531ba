import { createDuckDbWarehouse } from '#adapters/duckdb/duckdb-warehouse.ts';
import { insertEventLines } from '#adapters/local/raw-loader.ts';
import { applyActivationDdl } from '#core/activation/ddl.ts';
import type { FactDeclaration } from '#core/activation/fact.ts';
import { activationModels } from '#core/activation/models.ts';
import { type ActivationSettings, resolveActivationSettings } from '#core/activation/settings.ts';
import { applyWarehouseDdl } from '#core/warehouse/ddl.ts';
import type { ModelDefinition } from '#core/warehouse/model.ts';
import { composeModels, orderModels } from '#core/warehouse/models/index.ts';
import type { Warehouse } from '#core/warehouse/ports.ts';
import { executeRun, type RunReport } from '#core/warehouse/run-engine.ts';
import { incrementalWindow, withTransformLock } from '#core/warehouse/runner.ts';
import type { TransformSettings } from '#core/warehouse/settings.ts';
import { duckdbSql } from '#test/support/sql-library.ts';
import { freshWarehouse } from '#test/support/warehouse-db.ts';
import { type EventSpec, eventLine, testCatalog } from '#test/support/warehouse-events.ts';

/**
 * Runs the real model runner (lock, one transaction per run, watermarks, run log) with the activation
 * models of the scenario's `facts` and settings in place of the declared ones, on an in-memory DuckDB
 * warehouse.
 */
export interface ActivationWorld {
  readonly warehouse: Warehouse;
  readonly facts: readonly FactDeclaration[];
  readonly settings: ActivationSettings;
  readonly transform: Partial<TransformSettings>;
}

export const createWorld = async (
  facts: readonly FactDeclaration[],
  options: {
    settings?: Parameters<typeof resolveActivationSettings>[0];
    transform?: Partial<TransformSettings>;
    /** A DuckDB file instead of an in-memory database. */
    path?: string;
  } = {},
): Promise<ActivationWorld> => {
  const warehouse = options.path
    ? await createDuckDbWarehouse({ path: options.path, threads: 1 })
    : await freshWarehouse();
  if (options.path) await applyWarehouseDdl(warehouse, duckdbSql);
  await applyActivationDdl(warehouse, duckdbSql, facts);
  return {
    warehouse,
    facts,
    settings: resolveActivationSettings(options.settings),
    transform: options.transform ?? {},
  };
};

/** An event of a scenario: the shared test event spec plus its name (feature_used by default). */
export type ActivitySpec = EventSpec & { readonly eventName?: string };

let fileCounter = 0;

/** Loads events into raw.events as one file, `loadedAt` being the load time. */
export const load = async (
  world: ActivationWorld,
  events: readonly ActivitySpec[],
  loadedAt: Date,
): Promise<void> => {
  if (events.length === 0) return;
  fileCounter += 1;
  const name = `events/test-${String(fileCounter).padStart(5, '0')}.json`;
  const lines = events.map((e) =>
    JSON.stringify({ ...eventLine(e), ...(e.eventName ? { event_name: e.eventName } : {}) }),
  );
  await insertEventLines(world.warehouse, lines, name, loadedAt, { library: duckdbSql });
};

const run = (world: ActivationWorld, asOf: Date, rebuild: boolean): Promise<RunReport> =>
  withTransformLock(
    {
      warehouse: world.warehouse,
      catalog: testCatalog(),
      library: duckdbSql,
      clock: () => asOf,
      settings: world.transform,
    },
    ({ deps }) => {
      const all: ModelDefinition[] = orderModels(
        composeModels(activationModels(world.facts, world.settings)),
      );
      return executeRun(deps, {
        mode: rebuild ? 'rebuild' : 'incremental',
        models: all,
        window: incrementalWindow(deps),
        clearFirst: rebuild,
        advanceWatermarks: true,
      });
    },
  );

/** An incremental transform run at `asOf`. */
export const runIncremental = (world: ActivationWorld, asOf: Date): Promise<RunReport> =>
  run(world, asOf, false);

/** A rebuild (every model cleared, watermarks forgotten, everything raw holds re-derived) at `asOf`. */
export const runRebuild = (world: ActivationWorld, asOf: Date): Promise<RunReport> => run(world, asOf, true);
