import { recoveryOf, toConnectionError, toQueryError } from '#adapters/snowflake/driver-errors.ts';
import { SnowflakeConnectionError, SnowflakeQueryError } from '#adapters/snowflake/errors.ts';
import { driverError, ErrorCode, errors } from './support/fake-driver.ts';

describe('recoveryOf', () => {
  it.each([
    ['a network error that outlasted the driver’s own retries', errors.network()],
    ['HTTP 503 from Snowflake', errors.serviceUnavailable()],
    [
      'HTTP 429 (throttled)',
      driverError({ message: 'Too Many Requests', code: ErrorCode.ERR_SF_RESPONSE_FAILURE, statusCode: 429 }),
    ],
    [
      'a gateway answering with HTML instead of JSON',
      driverError({ message: 'Unexpected response', code: ErrorCode.ERR_SF_RESPONSE_NOT_JSON }),
    ],
    [
      'a result chunk download that failed with 500',
      driverError({
        message: 'chunk',
        code: ErrorCode.ERR_LARGE_RESULT_SET_RESPONSE_FAILURE,
        statusCode: 500,
      }),
    ],
    ['SQLSTATE XX000 (SQL execution internal error)', errors.internal()],
  ])('retries %s', (_, error) => {
    expect(recoveryOf(error)).toBe('retry');
  });

  it.each([
    ['the session no longer exists (390111)', errors.sessionGone()],
    [
      'the master token expired (390114)',
      driverError({ message: 'Authentication token has expired.', code: '390114' }),
    ],
    [
      'the connection was destroyed',
      driverError({
        message: 'disconnected',
        code: ErrorCode.ERR_CONN_REQUEST_STATUS_DISCONNECTED,
        sqlState: '08003',
      }),
    ],
  ])('reconnects when %s', (_, error) => {
    expect(recoveryOf(error)).toBe('reconnect');
  });

  it.each([
    ['a syntax error (42000)', errors.syntax()],
    [
      'insufficient privileges (42501)',
      driverError({
        message:
          "SQL access control error:\nInsufficient privileges to operate on table 'FCT_FEATURE_EVENTS'",
        code: '003001',
        sqlState: '42501',
      }),
    ],
    [
      'a missing object (42S02)',
      driverError({
        message: "SQL compilation error:\nObject 'RAW.EVENTS' does not exist or not authorized.",
        code: '002003',
        sqlState: '42S02',
      }),
    ],
    [
      'a statement that hit STATEMENT_TIMEOUT_IN_SECONDS (57014)',
      driverError({
        message: 'Statement reached its statement or warehouse timeout of 600 second(s) and was canceled.',
        code: '000630',
        sqlState: '57014',
      }),
    ],
    [
      'HTTP 403 on the query request',
      driverError({ message: 'Forbidden', code: ErrorCode.ERR_SF_RESPONSE_FAILURE, statusCode: 403 }),
    ],
    ['an invalid key-pair login (390144)', errors.badJwt()],
  ])('does not retry %s', (_, error) => {
    expect(recoveryOf(error)).toBe('none');
  });
});

describe('toQueryError', () => {
  const sql = 'select feature_id\n  form curated.dim_feature\n where feature_id = ?';

  it('carries the query id, SQLSTATE, code and statement, and keeps the driver error as cause', () => {
    const cause = errors.syntax('01b2c3d4-0000-0000-0000-0000000000aa');

    const error = toQueryError(cause, sql);

    expect(error).toBeInstanceOf(SnowflakeQueryError);
    expect(error).toMatchObject({
      name: 'SnowflakeQueryError',
      queryId: '01b2c3d4-0000-0000-0000-0000000000aa',
      sqlState: '42000',
      code: '001003',
      sql,
      retryable: false,
      cause,
    });
    expect(error.message).toBe(
      "Snowflake statement failed: SQL compilation error:\nsyntax error line 1 at position 7 unexpected 'FORM'. " +
        '(SQLSTATE 42000, code 001003, query id 01b2c3d4-0000-0000-0000-0000000000aa); ' +
        'statement: select feature_id form curated.dim_feature where feature_id = ?',
    );
  });

  it('takes the query id from the statement when the driver has it there', () => {
    const error = toQueryError(errors.internal(''), sql, {
      getQueryId: () => '01b2c3d4-0000-0000-0000-0000000000bb',
    });

    expect(error).toMatchObject({ queryId: '01b2c3d4-0000-0000-0000-0000000000bb', retryable: true });
  });

  it('leaves the query id undefined when the statement never reached Snowflake', () => {
    const error = toQueryError(errors.network(), sql, { getQueryId: () => undefined });

    expect(error).toMatchObject({ queryId: undefined, sqlState: undefined, code: '401001', retryable: true });
  });
});

describe('toConnectionError', () => {
  it('points at the key registration when the login is refused', () => {
    const cause = errors.badJwt();

    const error = toConnectionError(cause, 'acme-analytics', 'TALLY_SERVICE');

    expect(error).toBeInstanceOf(SnowflakeConnectionError);
    expect(error).toMatchObject({ retryable: false, code: '390144', cause });
    expect(error.message).toBe(
      'Could not open a Snowflake session for TALLY_SERVICE on acme-analytics: JWT token is invalid. (check the ' +
        'account, the user, that its RSA_PUBLIC_KEY matches the secret, and the role and warehouse grants)',
    );
  });

  it('marks a network failure during login as retryable', () => {
    expect(toConnectionError(errors.network(), 'acme-analytics', 'TALLY_SERVICE').retryable).toBe(true);
  });
});
