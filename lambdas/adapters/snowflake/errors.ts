import { TallyError } from '#core/errors/tally-error.ts';

/**
 * Errors raised by the Snowflake warehouse adapter. `retryable` says whether running the same work again
 * (a statement, or a whole transaction) may succeed; the adapter uses it for its own bounded retries and
 * callers may use it to decide between "try again later" and "page someone".
 */

/** Base of every Snowflake adapter error; `cause` keeps the driver error when there is one. */
export class SnowflakeError extends TallyError {
  /** Whether the same work may succeed if run again (network trouble, a lost session, a server hiccup). */
  readonly retryable: boolean;

  constructor(message: string, options: { cause?: unknown; retryable?: boolean } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'SnowflakeError';
    this.retryable = options.retryable ?? false;
  }
}

/**
 * The adapter's configuration or credentials are missing or invalid (environment, secret content, key).
 * `problems` lists every one of them so an operator fixes them in one pass.
 */
export class SnowflakeConfigError extends SnowflakeError {
  readonly problems: readonly string[];

  constructor(problems: readonly string[], options: { cause?: unknown } = {}) {
    super(
      `Invalid Snowflake configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}; ` +
        `see docs/SNOWFLAKE.md):\n${problems.map((p) => `  - ${p}`).join('\n')}`,
      options,
    );
    this.name = 'SnowflakeConfigError';
    this.problems = problems;
  }
}

/** Opening a session failed, or an open session was lost (network, expired or closed session, bad login). */
export class SnowflakeConnectionError extends SnowflakeError {
  /** The driver's error code (numeric driver codes as strings, or Snowflake's own like `390144`). */
  readonly code: string | undefined;

  constructor(message: string, options: { cause?: unknown; retryable: boolean; code?: string | undefined }) {
    super(message, options);
    this.name = 'SnowflakeConnectionError';
    this.code = options.code;
  }
}

/** What a failed statement leaves behind for whoever has to look it up in QUERY_HISTORY. */
export interface StatementFailure {
  /** Snowflake's query id, when the statement reached the server. */
  readonly queryId: string | undefined;
  /** ANSI SQLSTATE (`42000` syntax error, `42501` insufficient privileges, `XX000` internal error ...). */
  readonly sqlState: string | undefined;
  /** Snowflake's error code (`001003`) or the driver's (`401001`), as a string. */
  readonly code: string | undefined;
  /** The statement's SQL text (parameters are bound, never inlined, so it holds no event data). */
  readonly sql: string;
}

/** A statement failed; carries its query id and SQLSTATE so on-call can find it in QUERY_HISTORY. */
export class SnowflakeQueryError extends SnowflakeError implements StatementFailure {
  readonly queryId: string | undefined;
  readonly sqlState: string | undefined;
  readonly code: string | undefined;
  readonly sql: string;

  constructor(message: string, failure: StatementFailure, options: { cause?: unknown; retryable: boolean }) {
    super(message, options);
    this.name = 'SnowflakeQueryError';
    this.queryId = failure.queryId;
    this.sqlState = failure.sqlState;
    this.code = failure.code;
    this.sql = failure.sql;
  }
}

/**
 * COMMIT was sent but its answer was lost (network, session dropped): the transaction may or may not have
 * been committed. Never retried by the adapter, since running the work again could apply it twice; check
 * the query id in QUERY_HISTORY, or rerun only work that is idempotent.
 */
export class SnowflakeCommitOutcomeUnknownError extends SnowflakeQueryError {
  constructor(cause: SnowflakeError, failure: StatementFailure) {
    super(
      `COMMIT did not answer (${cause.message}); the transaction may or may not have been committed` +
        (failure.queryId === undefined ? '' : ` (query id ${failure.queryId})`),
      failure,
      { cause, retryable: false },
    );
    this.name = 'SnowflakeCommitOutcomeUnknownError';
  }
}
