import type { ConnectionOptions } from 'snowflake-sdk';
import type {
  ConnectionFactory,
  DriverConnection,
  DriverFailure,
  DriverStatement,
  DriverStatementOptions,
} from '#adapters/snowflake/driver.ts';
import { DRIVER_ERROR_CODES as ErrorCode } from '#adapters/snowflake/driver-errors.ts';

export { ErrorCode };

/**
 * A stand-in for snowflake-sdk behind the adapter's driver seam. It records what the adapter asks of the
 * driver and answers as the driver does: callbacks on a later tick, rows as objects keyed by the column
 * names Snowflake reports (upper case), errors shaped like the driver's, and a destroyed connection
 * refusing statements with the driver's "disconnected" error.
 */

/** One `execute` call as the driver received it. */
export interface Executed {
  /** Index of the connection (in creation order) it ran on. */
  readonly connection: number;
  readonly sqlText: string;
  readonly binds: DriverStatementOptions['binds'];
  readonly requestId: string;
  readonly parameters: DriverStatementOptions['parameters'];
}

/** How the fake answers a statement. */
export type Reply =
  | {
      readonly rows?: unknown[];
      readonly updatedRows?: number;
      readonly queryId?: string;
      readonly error?: undefined;
    }
  | { readonly error: DriverFailure & Error; readonly queryId?: string };

/** An error shaped like the ones snowflake-sdk hands to callbacks. */
export const driverError = (fields: {
  message: string;
  code: number | string;
  sqlState?: string;
  statusCode?: number;
  queryId?: string;
}): DriverFailure & Error => {
  const error = new Error(fields.message);
  error.name = typeof fields.code === 'string' ? 'OperationFailedError' : 'NetworkError';
  return Object.assign(error, {
    code: fields.code,
    sqlState: fields.sqlState,
    data: fields.queryId === undefined ? undefined : { queryId: fields.queryId },
    response: fields.statusCode === undefined ? undefined : { statusCode: fields.statusCode },
  });
};

/** The errors tests use most, as Snowflake and the driver report them. */
export const errors = {
  network: () =>
    driverError({ message: 'read ECONNRESET', code: ErrorCode.ERR_SF_NETWORK_COULD_NOT_CONNECT }),
  serviceUnavailable: () =>
    driverError({
      message: 'Request to Snowflake failed.',
      code: ErrorCode.ERR_SF_RESPONSE_FAILURE,
      statusCode: 503,
    }),
  syntax: (queryId = '01b2c3d4-0000-0000-0000-000000000001') =>
    driverError({
      message: "SQL compilation error:\nsyntax error line 1 at position 7 unexpected 'FORM'.",
      code: '001003',
      sqlState: '42000',
      queryId,
    }),
  internal: (queryId = '01b2c3d4-0000-0000-0000-000000000002') =>
    driverError({
      message: 'SQL execution internal error: Processing aborted due to error 300002:2523106277.',
      code: '000603',
      sqlState: 'XX000',
      queryId,
    }),
  sessionGone: () =>
    driverError({
      message: 'Session no longer exists.  New login required to access the service.',
      code: '390111',
    }),
  badJwt: () => driverError({ message: 'JWT token is invalid.', code: '390144', sqlState: '08001' }),
};

export class FakeDriver {
  /** Options of every connection created, in order. */
  readonly created: ConnectionOptions[] = [];
  readonly executed: Executed[] = [];
  /** Indexes of destroyed connections. */
  readonly destroyed: number[] = [];
  /** Errors the next `connect` calls fail with, in order. */
  readonly connectFailures: (DriverFailure & Error)[] = [];
  /** Decides the reply to each statement; by default every statement succeeds with no rows. */
  answer: (statement: Executed) => Reply = () => ({});

  readonly factory: ConnectionFactory = (options) => {
    const index = this.created.length;
    this.created.push(options);
    return new FakeConnection(this, index);
  };

  /** Executed SQL texts, in order. */
  get sql(): string[] {
    return this.executed.map((e) => e.sqlText);
  }
}

class FakeConnection implements DriverConnection {
  #destroyed = false;

  constructor(
    private readonly driver: FakeDriver,
    private readonly index: number,
  ) {}

  connect(callback: (error: DriverFailure | undefined) => void): this {
    const failure = this.driver.connectFailures.shift();
    setImmediate(() => callback(failure));
    return this;
  }

  execute(options: DriverStatementOptions): DriverStatement {
    const executed: Executed = {
      connection: this.index,
      sqlText: options.sqlText,
      binds: options.binds,
      requestId: options.requestId,
      parameters: options.parameters,
    };
    if (!this.#destroyed) this.driver.executed.push(executed);
    const reply: Reply = this.#destroyed
      ? { error: driverError({ message: 'Connection is disconnected.', code: 407002, sqlState: '08003' }) }
      : this.driver.answer(executed);
    const statement: DriverStatement = {
      getQueryId: () => reply.queryId,
      getNumUpdatedRows: () => (reply.error === undefined ? (reply.updatedRows ?? -1) : undefined),
    };
    setImmediate(() => {
      if (reply.error !== undefined) options.complete(reply.error, statement);
      else options.complete(undefined, statement, reply.rows ?? []);
    });
    return statement;
  }

  destroy(callback: (error: undefined) => void): void {
    this.#destroyed = true;
    this.driver.destroyed.push(this.index);
    setImmediate(() => callback(undefined));
  }
}
