import { insertEventLines } from '#adapters/local/raw-loader.ts';
import type { ValidatedLine } from '#core/contract/envelope.ts';
import type { Warehouse } from '#core/warehouse/ports.ts';
import type { RunReport } from '#core/warehouse/run-engine.ts';
import { runIncremental, runRebuild, type TransformOptions } from '#core/warehouse/runner.ts';
import { duckdbSql } from '#test/support/sql-library.ts';
import { testCatalog } from './warehouse-events.ts';

/** Loads lines as one file of one load (what the local loader does with an `events/` object). */
export const load = (
  warehouse: Warehouse,
  file: string,
  loadedAt: string,
  lines: readonly ValidatedLine[],
): Promise<number> =>
  insertEventLines(
    warehouse,
    lines.map((l) => JSON.stringify(l)),
    file,
    new Date(loadedAt),
    { library: duckdbSql },
  ).then((loaded) => loaded.rows);

const options = (
  warehouse: Warehouse,
  at: string,
  extra: Partial<TransformOptions> = {},
): TransformOptions => ({
  warehouse,
  catalog: testCatalog(),
  library: duckdbSql,
  clock: () => new Date(at),
  ...extra,
});

/** An incremental run with the clock at `at`. */
export const transform = (
  warehouse: Warehouse,
  at: string,
  extra: Partial<TransformOptions> = {},
): Promise<RunReport> => runIncremental(options(warehouse, at, extra));

/** A full rebuild with the clock at `at`. */
export const rebuild = (
  warehouse: Warehouse,
  at: string,
  extra: Partial<TransformOptions> = {},
): Promise<RunReport> => runRebuild(options(warehouse, at, extra));
