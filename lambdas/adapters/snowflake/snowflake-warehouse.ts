import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { type RetryPolicy, retry } from '#core/retry/retry.ts';
import { type Sleep, sleep } from '#core/retry/sleep.ts';
import type { Row, SqlParam, Warehouse } from '#core/warehouse/ports.ts';
import type { SnowflakeConfig } from './config.ts';
import { type ConnectionFactory, type DriverConnection, snowflakeSdkFactory } from './driver.ts';
import { SnowflakeCommitOutcomeUnknownError, SnowflakeError, SnowflakeQueryError } from './errors.ts';
import { appendQueryTag } from './query-tag.ts';
import { toPortRows } from './rows.ts';
import { containerKeySource, type PrivateKeySource } from './secrets-manager-key-source.ts';
import { SnowflakeSession, type StatementResult } from './session.ts';

/** The Warehouse port on Snowflake, plus per-model query tags. */
export interface SnowflakeWarehouse extends Warehouse {
  readonly dialect: 'snowflake';
  /** QUERY_TAG every statement of this view carries. */
  readonly queryTag: string;
  /**
   * A view of the same session whose statements are tagged `<queryTag>:<suffix>`, e.g.
   * `warehouse.withQueryTag('fct_feature_events')` tags `tally:prod:fct_feature_events`.
   */
  withQueryTag(suffix: string): SnowflakeWarehouse;
}

/** The driver has already retried each request for a while; these are a few slower attempts on top. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 4, baseDelayMs: 500, maxDelayMs: 8_000 };

/** Told before each retry wait, so the caller can log or count retries. */
export interface SnowflakeRetryEvent {
  /** The attempt that failed (1 for the first). */
  readonly attempt: number;
  readonly delayMs: number;
  readonly error: SnowflakeError;
}

/** Seams for tests and tuning; production passes none. */
export interface SnowflakeWarehouseDeps {
  /** Creates the driver connection; default: snowflake-sdk, logging at `config.driverLogLevel`. */
  readonly connect?: ConnectionFactory;
  /** Default: the key-pair secret from Secrets Manager, read once per container. */
  readonly privateKey?: PrivateKeySource;
  readonly retry?: Partial<RetryPolicy>;
  readonly sleep?: Sleep;
  readonly random?: () => number;
  /** Told before each retry wait (to log or count retries). */
  readonly onRetry?: (event: SnowflakeRetryEvent) => void;
}

/** A transaction in progress: the connection it is pinned to, and whether it has ended. */
interface OpenTransaction {
  readonly connection: DriverConnection;
  ended: boolean;
}

/**
 * Creates the Snowflake warehouse. The session opens on first use (key-pair JWT login) and is kept for
 * the life of the container. Operations take the session one at a time, so a transaction never picks up
 * a statement issued elsewhere. Statements outside a transaction are retried on transient errors (see
 * driver-errors.ts); inside one, nothing is retried but the whole transaction, from BEGIN.
 */
export const createSnowflakeWarehouse = (
  config: SnowflakeConfig,
  deps: SnowflakeWarehouseDeps = {},
): SnowflakeWarehouse => {
  const session = new SnowflakeSession(
    config,
    deps.privateKey ?? containerKeySource(config.privateKeySecretId),
    deps.connect ?? snowflakeSdkFactory(config.driverLogLevel),
  );
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...deps.retry };
  /**
   * Runs `work` again while it throws a retryable SnowflakeError, within the policy; `work` receives the
   * previous failure, if any.
   */
  const withRetries = <T>(work: (previous: SnowflakeError | undefined) => Promise<T>): Promise<T> =>
    retry(({ previousError }) => work(previousError as SnowflakeError | undefined), {
      policy,
      isRetryable: (error) => error instanceof SnowflakeError && error.retryable,
      onRetry: ({ attempt, delayMs, error }) =>
        deps.onRetry?.({ attempt, delayMs, error: error as SnowflakeError }),
      sleep: deps.sleep ?? sleep,
      random: deps.random ?? Math.random,
    });
  const turn = new Turn();
  const transactionOf = new AsyncLocalStorage<OpenTransaction>();

  // Statement-level session parameters: the tag names who ran what in QUERY_HISTORY, the timeout bounds
  // every statement, and UTC makes date arithmetic on TIMESTAMP_LTZ independent of the account default.
  const parameters = (tag: string) => ({
    QUERY_TAG: tag,
    STATEMENT_TIMEOUT_IN_SECONDS: config.statementTimeoutSeconds,
    TIMEZONE: 'UTC',
  });

  const inTransaction = (tx: OpenTransaction, sql: string, params: readonly SqlParam[], tag: string) => {
    if (tx.ended) {
      return Promise.reject(
        new SnowflakeError(`statement issued after its transaction ended: ${sql.trim()}`),
      );
    }
    return session.run(tx.connection, { sql, params, requestId: randomUUID(), parameters: parameters(tag) });
  };

  const standalone = (sql: string, params: readonly SqlParam[], tag: string) => {
    let requestId = randomUUID();
    return turn.take(() =>
      withRetries(async (previous) => {
        // Same request id while the outcome is unknown, so Snowflake answers from a run that did happen
        // instead of running it twice; a fresh one once Snowflake has said the statement failed.
        if (previous !== undefined && answered(previous)) requestId = randomUUID();
        const connection = await session.connection();
        return session.run(connection, { sql, params, requestId, parameters: parameters(tag) });
      }),
    );
  };

  const statement = (sql: string, params: readonly SqlParam[], tag: string): Promise<StatementResult> => {
    const tx = transactionOf.getStore();
    return tx === undefined ? standalone(sql, params, tag) : inTransaction(tx, sql, params, tag);
  };

  const control = (connection: DriverConnection, sql: string, tag: string) =>
    session.run(connection, { sql, params: [], requestId: randomUUID(), parameters: parameters(tag) });

  const rollbackQuietly = async (connection: DriverConnection, tag: string) => {
    // A dropped session has taken its transaction with it: Snowflake rolls back when the session ends.
    if (session.isDiscarded(connection)) return;
    try {
      await control(connection, 'ROLLBACK', tag);
    } catch {
      // A session that cannot roll back must not be reused: dropping it ends its transaction server-side.
      session.discard(connection);
    }
  };

  const runTransaction = async <T>(work: (tx: Warehouse) => Promise<T>, tag: string): Promise<T> => {
    const connection = await session.connection();
    try {
      await control(connection, 'BEGIN', tag);
    } catch (error) {
      // If BEGIN ran but its answer was lost, the session holds an open transaction: do not reuse it.
      if (error instanceof SnowflakeError && !answered(error)) session.discard(connection);
      throw error;
    }
    const tx: OpenTransaction = { connection, ended: false };
    let result: T;
    try {
      result = await transactionOf.run(tx, () => work(transactionView(tx, tag)));
    } catch (error) {
      tx.ended = true;
      await rollbackQuietly(connection, tag);
      throw error;
    }
    tx.ended = true;
    try {
      await control(connection, 'COMMIT', tag);
    } catch (error) {
      if (error instanceof SnowflakeQueryError && error.retryable && !answered(error)) {
        session.discard(connection);
        throw new SnowflakeCommitOutcomeUnknownError(error, error);
      }
      await rollbackQuietly(connection, tag);
      throw error;
    }
    return result;
  };

  const transactionView = (tx: OpenTransaction, tag: string): SnowflakeWarehouse => ({
    dialect: 'snowflake',
    queryTag: tag,
    execute: async (sql, params = []) => (await inTransaction(tx, sql, params, tag)).updatedRows,
    query: async <T extends Row = Row>(sql: string, params: readonly SqlParam[] = []) =>
      toPortRows<T>((await inTransaction(tx, sql, params, tag)).rows),
    transaction: (work) => work(transactionView(tx, tag)),
    withQueryTag: (suffix) => transactionView(tx, appendQueryTag(tag, suffix)),
    close: () => Promise.reject(new SnowflakeError('close the warehouse, not a transaction handle')),
  });

  const view = (tag: string): SnowflakeWarehouse => ({
    dialect: 'snowflake',
    queryTag: tag,
    execute: async (sql, params = []) => (await statement(sql, params, tag)).updatedRows,
    query: async <T extends Row = Row>(sql: string, params: readonly SqlParam[] = []) =>
      toPortRows<T>((await statement(sql, params, tag)).rows),
    transaction: (work) => {
      // Called from inside a transaction's work: join it rather than wait for a turn it holds.
      const tx = transactionOf.getStore();
      if (tx !== undefined) return work(transactionView(tx, tag));
      return turn.take(() => withRetries(() => runTransaction(work, tag)));
    },
    withQueryTag: (suffix) => view(appendQueryTag(tag, suffix)),
    close: () => {
      if (transactionOf.getStore() !== undefined) {
        return Promise.reject(
          new SnowflakeError('cannot close the warehouse inside one of its transactions'),
        );
      }
      return turn.take(() => session.close());
    },
  });

  return view(config.queryTag);
};

/** Whether Snowflake answered the failed statement (it carries a SQLSTATE) rather than the answer being lost. */
const answered = (error: SnowflakeError): boolean =>
  error instanceof SnowflakeQueryError && error.sqlState !== undefined;

/** Hands the session to one operation at a time, in call order. */
class Turn {
  #last: Promise<void> = Promise.resolve();

  async take<T>(operation: () => Promise<T>): Promise<T> {
    const previous = this.#last;
    let release = () => {};
    this.#last = new Promise<void>((resolve) => {
      release = resolve;
    });
    await previous;
    try {
      return await operation();
    } finally {
      release();
    }
  }
}
