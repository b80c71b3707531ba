import type { DuckDBInstance, DuckDBValue } from '@duckdb/node-api';
import type {
  ConnectionFactory,
  DriverConnection,
  DriverFailure,
  DriverStatementOptions,
} from '#adapters/snowflake/driver.ts';

/**
 * snowflake-sdk's connection, as the Snowflake adapter's driver seam sees it, executing on DuckDB: each
 * connection is a DuckDB connection of one instance, so sessions, BEGIN / COMMIT / ROLLBACK and isolation
 * between sessions are real. Rows come back keyed by upper-case column names and callbacks on a later tick,
 * as the driver answers. This lets the warehouse-port contract run through the whole Snowflake adapter
 * (session, turns, transaction pinning, retries) with statements that mean the same on both engines.
 */
export const duckDbDriver = (instance: DuckDBInstance): ConnectionFactory => {
  return async (): Promise<DriverConnection> => {
    const connection = await instance.connect();
    let destroyed = false;
    return {
      connect: (callback) => setImmediate(() => callback(undefined)),
      execute: (options: DriverStatementOptions) => {
        const binds = (options.binds ?? []) as DuckDBValue[];
        const answer = async () => {
          if (destroyed) throw new Error('the connection was destroyed');
          const reader = await connection.runAndReadAll(options.sqlText, binds);
          const rows = reader
            .getRowObjectsJS()
            .map((row) =>
              Object.fromEntries(
                Object.entries(row).map(([name, value]) => [
                  name.toUpperCase(),
                  typeof value === 'bigint' ? Number(value) : value,
                ]),
              ),
            );
          return { rows, updated: reader.rowsChanged };
        };
        answer().then(
          ({ rows, updated }) =>
            options.complete(
              undefined,
              { getQueryId: () => 'duckdb', getNumUpdatedRows: () => updated },
              rows,
            ),
          (error: Error) => {
            // shaped like a Snowflake compilation/execution error: a SQLSTATE means Snowflake answered
            const failure: DriverFailure & Error = Object.assign(error, {
              code: '002003',
              sqlState: '42000',
            });
            options.complete(failure, { getQueryId: () => 'duckdb', getNumUpdatedRows: () => undefined });
          },
        );
      },
      destroy: (callback) => {
        destroyed = true;
        connection.closeSync();
        setImmediate(() => callback(undefined));
      },
    };
  };
};
