import type { DriverFailure } from './driver.ts';
import { SnowflakeConnectionError, SnowflakeQueryError } from './errors.ts';

/**
 * Which snowflake-sdk errors are worth another try. The driver already retries each HTTP request on
 * network errors, 408, 429 and 5xx before giving up; what reaches the adapter has outlasted those, so the
 * adapter adds a few slower attempts for the same causes and nothing else. A syntax, permission or
 * object-missing error fails the same way every time; a statement timeout (57014) would only burn the
 * same warehouse time again.
 */
export type Recovery =
  /** Retrying cannot help. */
  | 'none'
  /** Try again on the same session. */
  | 'retry'
  /** The session is gone: open a new one, then try again. */
  | 'reconnect';

/**
 * snowflake-sdk's numeric codes the policy names, as in its `ErrorCode` enum (driver.test.ts checks them
 * against the installed driver; the enum is not importable without loading the whole driver).
 */
export const DRIVER_ERROR_CODES = {
  ERR_SF_NETWORK_COULD_NOT_CONNECT: 401001,
  ERR_SF_RESPONSE_FAILURE: 401002,
  ERR_SF_RESPONSE_NOT_JSON: 401003,
  ERR_SF_RESPONSE_INVALID_TOKEN: 401004,
  ERR_LARGE_RESULT_SET_NETWORK_COULD_NOT_CONNECT: 402001,
  ERR_LARGE_RESULT_SET_RESPONSE_FAILURE: 402002,
  ERR_CONN_CONNECT_STATUS_DISCONNECTED: 405503,
  ERR_CONN_REQUEST_STATUS_PRISTINE: 407001,
  ERR_CONN_REQUEST_STATUS_DISCONNECTED: 407002,
} as const;
const ErrorCode = DRIVER_ERROR_CODES;

/** The request never got an answer (connection refused, reset, DNS, TLS handshake, body not JSON). */
const NETWORK = new Set<unknown>([
  ErrorCode.ERR_SF_NETWORK_COULD_NOT_CONNECT,
  ErrorCode.ERR_SF_RESPONSE_NOT_JSON,
  ErrorCode.ERR_LARGE_RESULT_SET_NETWORK_COULD_NOT_CONNECT,
]);

/** An HTTP answer other than 200; transient only for the statuses below. */
const HTTP_FAILURE = new Set<unknown>([
  ErrorCode.ERR_SF_RESPONSE_FAILURE,
  ErrorCode.ERR_LARGE_RESULT_SET_RESPONSE_FAILURE,
]);
const isTransientStatus = (status: unknown): boolean =>
  typeof status === 'number' && (status === 408 || status === 429 || (status >= 500 && status < 600));

/** The session is closed, expired or was never opened: the driver code, or Snowflake's own. */
const SESSION_LOST = new Set<unknown>([
  ErrorCode.ERR_CONN_REQUEST_STATUS_PRISTINE,
  ErrorCode.ERR_CONN_REQUEST_STATUS_DISCONNECTED,
  ErrorCode.ERR_CONN_CONNECT_STATUS_DISCONNECTED,
  ErrorCode.ERR_SF_RESPONSE_INVALID_TOKEN,
  '390104', // session token invalid
  '390111', // session no longer exists
  '390112', // session token expired and could not be renewed
  '390114', // master token expired: log in again
]);

/** SQLSTATE XX000: "SQL execution internal error"; the statement failed as a whole and may be run again. */
const INTERNAL_ERROR_SQL_STATE = 'XX000';

/** How the adapter may recover from a driver error. */
export const recoveryOf = (error: DriverFailure): Recovery => {
  const code = error.code;
  if (SESSION_LOST.has(code)) return 'reconnect';
  if (NETWORK.has(code)) return 'retry';
  if (HTTP_FAILURE.has(code)) return isTransientStatus(error.response?.statusCode) ? 'retry' : 'none';
  if (error.sqlState === INTERNAL_ERROR_SQL_STATE) return 'retry';
  return 'none';
};

/** The query id Snowflake gave a failed statement: on the statement, or in the error's response data. */
const queryIdOf = (error: DriverFailure, statement: { getQueryId(): string | undefined } | undefined) => {
  const fromData = error.data?.queryId;
  const id = statement?.getQueryId() ?? (typeof fromData === 'string' ? fromData : undefined);
  return id === undefined || id === '' ? undefined : id;
};

/** One line naming the statement, for messages; the full text stays on the error's `sql`. */
const excerpt = (sql: string): string => {
  const line = sql.replace(/\s+/g, ' ').trim();
  return line.length > 80 ? `${line.slice(0, 77)}...` : line;
};

const codeOf = (error: DriverFailure): string | undefined =>
  error.code === undefined || error.code === null ? undefined : String(error.code);

/** Wraps a failed statement's driver error, keeping it as `cause`. */
export const toQueryError = (
  error: DriverFailure,
  sql: string,
  statement?: { getQueryId(): string | undefined },
): SnowflakeQueryError => {
  const failure = {
    queryId: queryIdOf(error, statement),
    sqlState: error.sqlState,
    code: codeOf(error),
    sql,
  };
  const facts = [
    failure.sqlState && `SQLSTATE ${failure.sqlState}`,
    failure.code && `code ${failure.code}`,
    failure.queryId && `query id ${failure.queryId}`,
  ].filter(Boolean);
  return new SnowflakeQueryError(
    `Snowflake statement failed: ${error.message}${facts.length > 0 ? ` (${facts.join(', ')})` : ''}; ` +
      `statement: ${excerpt(sql)}`,
    failure,
    { cause: error, retryable: recoveryOf(error) !== 'none' },
  );
};

/** Wraps a failed login, keeping the driver error as `cause`. */
export const toConnectionError = (error: DriverFailure, account: string, user: string) => {
  const retryable = recoveryOf(error) !== 'none';
  const hint = retryable
    ? ''
    : ' (check the account, the user, that its RSA_PUBLIC_KEY matches the secret, and the role and warehouse grants)';
  return new SnowflakeConnectionError(
    `Could not open a Snowflake session for ${user} on ${account}: ${error.message}${hint}`,
    { cause: error, retryable, code: codeOf(error) },
  );
};
