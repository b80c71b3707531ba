import { existsSync } from 'node:fs';
import { createDuckDbWarehouse } from '#adapters/duckdb/duckdb-warehouse.ts';
import type { Row, SqlParam } from '#core/warehouse/ports.ts';
import { AdminClient } from './admin-client.ts';
import { readDevState } from './dev-state.ts';
import { LocalRuntimeError } from './errors.ts';
import type { StackStatus } from './stack-status.ts';
import type { TallyHome } from './tally-home.ts';

/** What the read commands need: SQL against the local warehouse, and the live status when a stack runs. */
export interface WarehouseReader {
  /** `running`: through the live `tally dev`; `file`: the DuckDB file opened directly. */
  readonly via: 'running' | 'file';
  query(sql: string, params?: readonly SqlParam[]): Promise<Row[]>;
  /** The running stack's status, or null when none runs. */
  status(): Promise<StackStatus | null>;
  close(): Promise<void>;
}

/**
 * Opens the local warehouse for the CLI. DuckDB allows one process to open a database file
 * for writing, and a running `tally dev` holds it; so when one runs (per `.tally/dev.json`),
 * queries go through its loopback admin endpoint; otherwise the file is opened directly.
 */
export const openWarehouseReader = async (home: TallyHome): Promise<WarehouseReader> => {
  const running = await readDevState(home.devStateFile);
  if (running) {
    const client = new AdminClient(running);
    return {
      via: 'running',
      query: (sql, params) => client.query(sql, params),
      status: () => client.status(),
      close: async () => undefined,
    };
  }
  if (!existsSync(home.warehouseFile)) {
    throw new LocalRuntimeError(
      `no local warehouse at ${home.warehouseFile}. Start the pipeline first: \`npm start\` (with the demo) or \`npx tally dev\`` +
        ' (or point --home / TALLY_HOME at another state folder).',
    );
  }
  let warehouse: Awaited<ReturnType<typeof createDuckDbWarehouse>>;
  try {
    warehouse = await createDuckDbWarehouse({ path: home.warehouseFile });
  } catch (error) {
    throw new LocalRuntimeError(
      `cannot open ${home.warehouseFile}: ${(error as Error).message}. ` +
        'If another process holds it (a tally dev started with another state folder, a DuckDB shell), stop it or query through it.',
      { cause: error },
    );
  }
  return {
    via: 'file',
    query: (sql, params) => warehouse.query(sql, params),
    status: async () => null,
    close: () => warehouse.close(),
  };
};
