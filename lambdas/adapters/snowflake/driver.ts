import type { Binds, ConnectionOptions } from 'snowflake-sdk';
import type { DriverLogLevel } from './config.ts';

/**
 * The slice of snowflake-sdk the adapter uses, named so tests can stand in for the driver. Every type here
 * is a narrowing of the driver's own (`createDriverConnection` returning a real Connection proves it).
 */

/** The fields of a snowflake-sdk error the adapter reads (a loosening of its SnowflakeError type). */
export interface DriverFailure {
  readonly message: string;
  /** The driver's numeric code, or Snowflake's own as a string (`'001003'`). */
  readonly code?: unknown;
  readonly sqlState?: string | undefined;
  readonly data?: { readonly queryId?: unknown } | undefined;
  readonly response?: { readonly statusCode?: unknown } | undefined;
}

/** What the adapter reads from a finished statement. */
export interface DriverStatement {
  /** Undefined when the statement never reached the server. */
  getQueryId(): string | undefined;
  /** Rows inserted/updated/deleted by DML; -1 or undefined for anything else. */
  getNumUpdatedRows(): number | undefined;
}

export type DriverStatementCallback = (
  error: DriverFailure | undefined,
  statement: DriverStatement,
  rows?: unknown[],
) => void;

/** Options of `Connection.execute` the adapter sets. */
export interface DriverStatementOptions {
  readonly sqlText: string;
  readonly binds?: Binds;
  /** Resubmitting with the same id lets Snowflake answer from the first run instead of running it twice. */
  readonly requestId: string;
  /** Statement-level session parameters (QUERY_TAG, STATEMENT_TIMEOUT_IN_SECONDS ...). */
  readonly parameters: Readonly<Record<string, string | number>>;
  readonly complete: DriverStatementCallback;
}

/** A snowflake-sdk Connection as the adapter uses it. */
export interface DriverConnection {
  connect(callback: (error: DriverFailure | undefined) => void): unknown;
  execute(options: DriverStatementOptions): unknown;
  destroy(callback: (error: DriverFailure | undefined) => void): void;
}

/** Creates a connection (not yet connected) from options; the real one is `snowflakeSdkFactory`. */
export type ConnectionFactory = (options: ConnectionOptions) => DriverConnection | Promise<DriverConnection>;

type SnowflakeSdk = typeof import('snowflake-sdk');
let sdk: Promise<SnowflakeSdk> | undefined;

/**
 * Loads snowflake-sdk on first use. The driver detects its platform for telemetry as soon as it is loaded:
 * it calls the EC2, Azure and GCE metadata endpoints and STS GetCallerIdentity with the process's AWS
 * credentials. That is cold-start time and outbound calls nobody asked for, so it is switched off unless
 * an operator set the variable; loading lazily guarantees the variable is set before the driver runs.
 */
export const loadSnowflakeSdk = (): Promise<SnowflakeSdk> => {
  process.env.SNOWFLAKE_DISABLE_PLATFORM_DETECTION ??= 'true';
  sdk ??= import('snowflake-sdk').then((module) => module.default);
  return sdk;
};

let configuredLogLevel: DriverLogLevel | undefined;

/**
 * snowflake-sdk's logger is process-wide and by default writes INFO lines (user, role, host) to
 * `./snowflake.log` (read-only in Lambda) and the console. Route it to stderr at `level` instead.
 */
const configureLogging = (snowflake: SnowflakeSdk, level: DriverLogLevel): void => {
  if (configuredLogLevel === level) return;
  const write = (message: string) => process.stderr.write(`snowflake-sdk: ${message}\n`);
  snowflake.configure({
    logLevel: level,
    customLogger: { error: write, warn: write, info: write, debug: write, trace: write },
  });
  configuredLogLevel = level;
};

/** The real driver: snowflake-sdk Connections (no network until `connect`), logging at `logLevel`. */
export const snowflakeSdkFactory =
  (logLevel: DriverLogLevel): ConnectionFactory =>
  async (options) => {
    const snowflake = await loadSnowflakeSdk();
    configureLogging(snowflake, logLevel);
    return snowflake.createConnection(options);
  };
