import { parseSnowflakeConfig, SNOWFLAKE_DEFAULTS, SNOWFLAKE_ENV } from '#adapters/snowflake/config.ts';
import { SnowflakeConfigError } from '#adapters/snowflake/errors.ts';

const complete = {
  SNOWFLAKE_ACCOUNT: 'acme-analytics',
  SNOWFLAKE_USER: 'TALLY_SERVICE',
  SNOWFLAKE_ROLE: 'TALLY_TRANSFORMER',
  SNOWFLAKE_WAREHOUSE: 'TALLY_WH',
  SNOWFLAKE_DATABASE: 'TALLY',
  SNOWFLAKE_PRIVATE_KEY_SECRET_ID:
    'arn:aws:secretsmanager:eu-west-1:123456789012:secret:tally/snowflake-AbCdEf',
};

const problemsOf = (env: Record<string, string | undefined>): readonly string[] => {
  try {
    parseSnowflakeConfig(env);
  } catch (error) {
    if (error instanceof SnowflakeConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a SnowflakeConfigError');
};

describe('parseSnowflakeConfig', () => {
  it('reads every setting from its environment variable', () => {
    const config = parseSnowflakeConfig({
      ...complete,
      SNOWFLAKE_QUERY_TAG: 'tally:prod',
      SNOWFLAKE_STATEMENT_TIMEOUT_SECONDS: '840',
      SNOWFLAKE_APPLICATION: 'tally-transform',
      SNOWFLAKE_DRIVER_LOG_LEVEL: 'warn',
    });

    expect(config).toEqual({
      account: 'acme-analytics',
      user: 'TALLY_SERVICE',
      role: 'TALLY_TRANSFORMER',
      warehouse: 'TALLY_WH',
      database: 'TALLY',
      privateKeySecretId: complete.SNOWFLAKE_PRIVATE_KEY_SECRET_ID,
      queryTag: 'tally:prod',
      statementTimeoutSeconds: 840,
      application: 'tally-transform',
      driverLogLevel: 'WARN',
    });
  });

  it('uses the defaults for the optional settings when they are unset or blank', () => {
    const config = parseSnowflakeConfig({ ...complete, SNOWFLAKE_QUERY_TAG: '  ' });

    expect(config).toMatchObject(SNOWFLAKE_DEFAULTS);
    expect(SNOWFLAKE_DEFAULTS).toEqual({
      queryTag: 'tally',
      statementTimeoutSeconds: 600,
      application: 'tally',
      driverLogLevel: 'ERROR',
    });
  });

  it('lists every missing required variable in one error', () => {
    expect(problemsOf({})).toEqual([
      'SNOWFLAKE_ACCOUNT is not set',
      'SNOWFLAKE_USER is not set',
      'SNOWFLAKE_ROLE is not set',
      'SNOWFLAKE_WAREHOUSE is not set',
      'SNOWFLAKE_DATABASE is not set',
      'SNOWFLAKE_PRIVATE_KEY_SECRET_ID is not set',
    ]);
  });

  it('lists missing and invalid values together, each naming its variable and value', () => {
    const problems = problemsOf({
      ...complete,
      SNOWFLAKE_ROLE: undefined,
      SNOWFLAKE_ACCOUNT: 'https://acme.snowflakecomputing.com',
      SNOWFLAKE_STATEMENT_TIMEOUT_SECONDS: '90s',
      SNOWFLAKE_QUERY_TAG: 'tally prod',
      SNOWFLAKE_APPLICATION: '9lives',
      SNOWFLAKE_DRIVER_LOG_LEVEL: 'LOUD',
      SNOWFLAKE_PRIVATE_KEY_SECRET_ID: 'tally snowflake key',
    });

    expect(problems).toEqual([
      'SNOWFLAKE_ACCOUNT must be an account identifier such as myorg-myaccount, got "https://acme.snowflakecomputing.com"',
      'SNOWFLAKE_ROLE is not set',
      'SNOWFLAKE_PRIVATE_KEY_SECRET_ID must be a Secrets Manager secret name or ARN, got "tally snowflake key"',
      'SNOWFLAKE_QUERY_TAG may only contain letters, digits and _ . : / @ = -, got "tally prod"',
      'SNOWFLAKE_STATEMENT_TIMEOUT_SECONDS must be a whole number of seconds from 1 to 604800, got "90s"',
      'SNOWFLAKE_APPLICATION must start with a letter and have 2 to 51 letters, digits, . _ or -, got "9lives"',
      'SNOWFLAKE_DRIVER_LOG_LEVEL must be one of ERROR, WARN, INFO, DEBUG, TRACE, OFF, got "LOUD"',
    ]);
  });

  it('puts every problem in the error message so one log line is enough to fix them all', () => {
    expect(() => parseSnowflakeConfig({ SNOWFLAKE_ACCOUNT: 'acme-analytics' })).toThrow(
      /5 problems.*\n {2}- SNOWFLAKE_USER is not set\n.*\n.*\n.*\n {2}- SNOWFLAKE_PRIVATE_KEY_SECRET_ID is not set$/,
    );
  });

  it.each(['0', '604801', '-5', '1.5'])('rejects a statement timeout of %s seconds', (value) => {
    expect(problemsOf({ ...complete, SNOWFLAKE_STATEMENT_TIMEOUT_SECONDS: value })).toEqual([
      `SNOWFLAKE_STATEMENT_TIMEOUT_SECONDS must be a whole number of seconds from 1 to 604800, got "${value}"`,
    ]);
  });

  it('accepts legacy account locators with a region', () => {
    expect(parseSnowflakeConfig({ ...complete, SNOWFLAKE_ACCOUNT: 'xy12345.eu-west-1' }).account).toBe(
      'xy12345.eu-west-1',
    );
  });

  it('exports each variable name once for the CDK construct to set', () => {
    expect(Object.values(SNOWFLAKE_ENV)).toEqual([
      'SNOWFLAKE_ACCOUNT',
      'SNOWFLAKE_USER',
      'SNOWFLAKE_ROLE',
      'SNOWFLAKE_WAREHOUSE',
      'SNOWFLAKE_DATABASE',
      'SNOWFLAKE_PRIVATE_KEY_SECRET_ID',
      'SNOWFLAKE_QUERY_TAG',
      'SNOWFLAKE_STATEMENT_TIMEOUT_SECONDS',
      'SNOWFLAKE_APPLICATION',
      'SNOWFLAKE_DRIVER_LOG_LEVEL',
    ]);
  });
});
