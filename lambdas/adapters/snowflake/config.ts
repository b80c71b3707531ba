import { ConfigReader } from '#core/config/config-reader.ts';
import { SnowflakeConfigError } from './errors.ts';
import { queryTagProblem } from './query-tag.ts';

/**
 * Environment variables the Snowflake adapter reads. The CDK construct imports these names to set them,
 * so the names live in exactly one place.
 */
export const SNOWFLAKE_ENV = {
  /** Account identifier, `ORGNAME-ACCOUNTNAME` (or a legacy locator such as `xy12345.eu-west-1`). */
  account: 'SNOWFLAKE_ACCOUNT',
  /** Service user with an RSA public key registered (key-pair authentication). */
  user: 'SNOWFLAKE_USER',
  role: 'SNOWFLAKE_ROLE',
  warehouse: 'SNOWFLAKE_WAREHOUSE',
  database: 'SNOWFLAKE_DATABASE',
  /** Name or ARN of the Secrets Manager secret holding `{ "private_key", "private_key_passphrase"? }`. */
  privateKeySecretId: 'SNOWFLAKE_PRIVATE_KEY_SECRET_ID',
  /** Optional; QUERY_TAG prefix of every statement, e.g. `tally:prod`. Default `tally`. */
  queryTag: 'SNOWFLAKE_QUERY_TAG',
  /** Optional; STATEMENT_TIMEOUT_IN_SECONDS of every statement. Default 600. */
  statementTimeoutSeconds: 'SNOWFLAKE_STATEMENT_TIMEOUT_SECONDS',
  /** Optional; client application name reported to Snowflake. Default `tally`. */
  application: 'SNOWFLAKE_APPLICATION',
  /** Optional; snowflake-sdk's own log level (ERROR, WARN, INFO, DEBUG, TRACE, OFF). Default ERROR. */
  driverLogLevel: 'SNOWFLAKE_DRIVER_LOG_LEVEL',
} as const;

export const DRIVER_LOG_LEVELS = ['ERROR', 'WARN', 'INFO', 'DEBUG', 'TRACE', 'OFF'] as const;
export type DriverLogLevel = (typeof DRIVER_LOG_LEVELS)[number];

/** Everything the adapter needs to open a session, validated. */
export interface SnowflakeConfig {
  readonly account: string;
  readonly user: string;
  readonly role: string;
  readonly warehouse: string;
  readonly database: string;
  readonly privateKeySecretId: string;
  /** Tag of every statement; scoped views append `:<suffix>` (see `withQueryTag`). */
  readonly queryTag: string;
  /** Snowflake cancels a statement running longer than this. */
  readonly statementTimeoutSeconds: number;
  readonly application: string;
  readonly driverLogLevel: DriverLogLevel;
}

/** Values of the optional variables when unset. */
export const SNOWFLAKE_DEFAULTS: Pick<
  SnowflakeConfig,
  'queryTag' | 'statementTimeoutSeconds' | 'application' | 'driverLogLevel'
> = {
  queryTag: 'tally',
  statementTimeoutSeconds: 600,
  application: 'tally',
  driverLogLevel: 'ERROR',
};

/** Snowflake's upper bound for STATEMENT_TIMEOUT_IN_SECONDS (7 days). */
const MAX_STATEMENT_TIMEOUT_SECONDS = 604_800;
/** The driver's own account and application checks, repeated so a bad value fails with every other problem. */
const ACCOUNT = /^\w+([.-]\w+)*$/;
const APPLICATION = /^[A-Za-z][A-Za-z0-9._-]{1,50}$/;
const SECRET_ID = /^[A-Za-z0-9/_+=.@:-]{1,2048}$/;

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Reads and validates the adapter's configuration from `env` once; throws a SnowflakeConfigError listing
 * every problem found, naming each variable.
 */
export const parseSnowflakeConfig = (env: Env = process.env): SnowflakeConfig => {
  const read = ConfigReader.env(env);
  const required = (name: string, check?: (value: string) => string | undefined) =>
    read.required(name, check === undefined ? { missing: 'is not set' } : { missing: 'is not set', check });

  const config: SnowflakeConfig = {
    account: required(SNOWFLAKE_ENV.account, (v) =>
      ACCOUNT.test(v) ? undefined : 'must be an account identifier such as myorg-myaccount',
    ),
    user: required(SNOWFLAKE_ENV.user),
    role: required(SNOWFLAKE_ENV.role),
    warehouse: required(SNOWFLAKE_ENV.warehouse),
    database: required(SNOWFLAKE_ENV.database),
    privateKeySecretId: required(SNOWFLAKE_ENV.privateKeySecretId, (v) =>
      SECRET_ID.test(v) ? undefined : 'must be a Secrets Manager secret name or ARN',
    ),
    queryTag: read.optional(SNOWFLAKE_ENV.queryTag, SNOWFLAKE_DEFAULTS.queryTag, (v) => {
      const problem = queryTagProblem(v);
      return problem === undefined ? { value: v } : { problem };
    }),
    statementTimeoutSeconds: read.optional(
      SNOWFLAKE_ENV.statementTimeoutSeconds,
      SNOWFLAKE_DEFAULTS.statementTimeoutSeconds,
      (v) => {
        const seconds = /^\d+$/.test(v) ? Number(v) : Number.NaN;
        return seconds >= 1 && seconds <= MAX_STATEMENT_TIMEOUT_SECONDS
          ? { value: seconds }
          : { problem: `must be a whole number of seconds from 1 to ${MAX_STATEMENT_TIMEOUT_SECONDS}` };
      },
    ),
    application: read.optional(SNOWFLAKE_ENV.application, SNOWFLAKE_DEFAULTS.application, (v) =>
      APPLICATION.test(v)
        ? { value: v }
        : { problem: 'must start with a letter and have 2 to 51 letters, digits, . _ or -' },
    ),
    driverLogLevel: read.optional(SNOWFLAKE_ENV.driverLogLevel, SNOWFLAKE_DEFAULTS.driverLogLevel, (v) => {
      const level = DRIVER_LOG_LEVELS.find((l) => l === v.toUpperCase());
      return level === undefined
        ? { problem: `must be one of ${DRIVER_LOG_LEVELS.join(', ')}` }
        : { value: level };
    }),
  };
  read.throwIfAny((problems) => new SnowflakeConfigError(problems));
  return config;
};
