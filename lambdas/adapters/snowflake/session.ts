import type { ConnectionOptions } from 'snowflake-sdk';
import type { SqlParam } from '#core/warehouse/ports.ts';
import type { SnowflakeConfig } from './config.ts';
import type { ConnectionFactory, DriverConnection } from './driver.ts';
import { recoveryOf, toConnectionError, toQueryError } from './driver-errors.ts';
import { SnowflakeConfigError, SnowflakeError } from './errors.ts';
import type { PrivateKeySource } from './secrets-manager-key-source.ts';

/** The driver options for a key-pair (JWT) session; the key is an unencrypted PKCS#8 PEM. */
export const connectionOptions = (config: SnowflakeConfig, privateKey: string): ConnectionOptions => ({
  account: config.account,
  username: config.user,
  role: config.role,
  warehouse: config.warehouse,
  database: config.database,
  authenticator: 'SNOWFLAKE_JWT',
  privateKey,
  application: config.application,
});

/** One statement as sent to the driver. */
export interface StatementRequest {
  readonly sql: string;
  readonly params: readonly SqlParam[];
  readonly requestId: string;
  readonly parameters: Readonly<Record<string, string | number>>;
}

/** What a statement returned: rows as the driver gave them, and the DML row count (0 when none). */
export interface StatementResult {
  readonly rows: unknown[];
  readonly updatedRows: number;
}

/**
 * One Snowflake session, opened on first use and kept for the life of the container. When the driver
 * reports the session lost, it is dropped and the next statement opens a new one.
 */
export class SnowflakeSession {
  #connection: Promise<DriverConnection> | undefined;
  /** The connection `#connection` resolved to, so `discard` can tell synchronously whether it is current. */
  #current: DriverConnection | undefined;
  #discarded = new WeakSet<DriverConnection>();
  #closed = false;

  constructor(
    private readonly config: SnowflakeConfig,
    private readonly privateKey: PrivateKeySource,
    private readonly createConnection: ConnectionFactory,
  ) {}

  /** The open connection, opening one if there is none. */
  connection(): Promise<DriverConnection> {
    if (this.#closed) return Promise.reject(new SnowflakeError('the Snowflake warehouse is closed'));
    if (this.#connection === undefined) {
      const opening = this.#open();
      this.#connection = opening;
      opening.catch(() => {
        if (this.#connection === opening) this.#connection = undefined;
      });
    }
    return this.#connection;
  }

  /** Runs one statement on `connection`; a driver error becomes a SnowflakeQueryError. */
  run(connection: DriverConnection, request: StatementRequest): Promise<StatementResult> {
    return new Promise<StatementResult>((resolve, reject) => {
      try {
        connection.execute({
          sqlText: request.sql,
          binds: request.params,
          requestId: request.requestId,
          parameters: request.parameters,
          complete: (error, statement, rows) => {
            if (error === undefined || error === null) {
              const updated = statement.getNumUpdatedRows();
              resolve({ rows: rows ?? [], updatedRows: updated !== undefined && updated > 0 ? updated : 0 });
              return;
            }
            if (recoveryOf(error) === 'reconnect') this.discard(connection);
            reject(toQueryError(error, request.sql, statement));
          },
        });
      } catch (error) {
        // The driver validates options synchronously (e.g. an unsupported bind type).
        reject(toQueryError(error instanceof Error ? error : new Error(describe(error)), request.sql));
      }
    });
  }

  /** Forgets `connection` if it is the current one and destroys it, ignoring errors (it may be dead already). */
  discard(connection: DriverConnection): void {
    if (this.#discarded.has(connection)) return;
    this.#discarded.add(connection);
    if (this.#current === connection) {
      this.#current = undefined;
      this.#connection = undefined;
    }
    destroyQuietly(connection);
  }

  /** Whether `connection` was dropped (lost, or left in an unknown state); statements on it cannot succeed. */
  isDiscarded(connection: DriverConnection): boolean {
    return this.#discarded.has(connection);
  }

  /** Ends the session; statements after this fail. */
  async close(): Promise<void> {
    this.#closed = true;
    const connection = await this.#connection?.catch(() => undefined);
    this.#connection = undefined;
    this.#current = undefined;
    if (connection !== undefined) await destroy(connection);
  }

  async #open(): Promise<DriverConnection> {
    const privateKey = await this.privateKey();
    let connection: DriverConnection;
    try {
      connection = await this.createConnection(connectionOptions(this.config, privateKey));
    } catch (error) {
      throw new SnowflakeConfigError([`snowflake-sdk rejected the connection options: ${describe(error)}`], {
        cause: error,
      });
    }
    await new Promise<void>((resolve, reject) => {
      connection.connect((error) => {
        if (error === undefined || error === null) resolve();
        else reject(toConnectionError(error, this.config.account, this.config.user));
      });
    });
    this.#current = connection;
    return connection;
  }
}

const destroy = (connection: DriverConnection): Promise<void> =>
  new Promise((resolve) => {
    connection.destroy(() => resolve());
  });

const destroyQuietly = (connection: DriverConnection): void => {
  try {
    connection.destroy(() => undefined);
  } catch {
    // Already destroyed or never connected: nothing to clean up.
  }
};

const describe = (error: unknown): string => (error instanceof Error ? error.message : String(error));
