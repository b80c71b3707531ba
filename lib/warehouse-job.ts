import { Duration } from 'aws-cdk-lib';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { SNOWFLAKE_ENV } from '#adapters/snowflake/config.ts';
import type { AssetFolder } from '#core/config/asset-env.ts';
import type { SnowflakeConfig } from './config.ts';
import { ProjectFunction } from './project-function.ts';

export interface WarehouseJobProps {
  /** Handler file relative to the repository root. */
  readonly entry: string;
  readonly description: string;
  readonly snowflake: SnowflakeConfig;
  /**
   * The Snowflake warehouse the job's statements run on.
   * @default props.snowflake.warehouse - the transform's
   */
  readonly warehouse?: string;
  /** The key pair secret; the job may read it and nothing else in Secrets Manager. */
  readonly keyPairSecret: ISecret;
  /** Tag on every statement the job runs, e.g. `tally:prod`. */
  readonly queryTag: string;
  /** @default Duration.minutes(5) */
  readonly timeout?: Duration;
  /** @default 512 */
  readonly memorySize?: number;
  /**
   * Lambda's own retries of a failed scheduled (asynchronous) invocation.
   * @default 0 - the next scheduled run picks up where the failed one stopped
   */
  readonly retryAttempts?: number;
  /** @default - none */
  readonly environment?: Readonly<Record<string, string>>;
  /** @default - unreserved */
  readonly reservedConcurrency?: number;
  /**
   * Repository directories shipped beside the bundle.
   * @default ['sql', 'schemas'] - the SQL library and the feature catalog the jobs read at start
   */
  readonly copyDirectories?: readonly AssetFolder[];
  readonly logRetention: RetentionDays;
}

/** A fifth of the job's timeout, and at least 30 s: the longest one statement of a job may run. */
export const statementTimeoutSeconds = (timeout: Duration): number =>
  Math.max(30, Math.floor(timeout.toSeconds() / 5));

/**
 * A scheduled job that works in Snowflake (transform, quality, erasure): the project function
 * with the Snowflake adapter's environment and read access to the key pair secret.
 */
export class WarehouseJob extends Construct {
  public readonly handler: ProjectFunction;

  constructor(scope: Construct, id: string, props: WarehouseJobProps) {
    super(scope, id);
    const timeout = props.timeout ?? Duration.minutes(5);
    this.handler = new ProjectFunction(this, 'Handler', {
      entry: props.entry,
      description: props.description,
      memorySize: props.memorySize ?? 512,
      timeout,
      logRetention: props.logRetention,
      reservedConcurrentExecutions: props.reservedConcurrency,
      copyDirectories: props.copyDirectories ?? ['sql', 'schemas'],
      environment: {
        [SNOWFLAKE_ENV.account]: props.snowflake.account,
        [SNOWFLAKE_ENV.user]: props.snowflake.user,
        [SNOWFLAKE_ENV.role]: props.snowflake.role,
        [SNOWFLAKE_ENV.warehouse]: props.warehouse ?? props.snowflake.warehouse,
        [SNOWFLAKE_ENV.database]: props.snowflake.database,
        [SNOWFLAKE_ENV.privateKeySecretId]: props.keyPairSecret.secretArn,
        [SNOWFLAKE_ENV.queryTag]: props.queryTag,
        // Well below the Lambda's timeout: a run stops starting statements one statement timeout (plus its
        // rollback) before its deadline, so it ends inside its time instead of being killed mid-way.
        [SNOWFLAKE_ENV.statementTimeoutSeconds]: String(statementTimeoutSeconds(timeout)),
        ...props.environment,
      },
    });
    this.handler.function.configureAsyncInvoke({ retryAttempts: props.retryAttempts ?? 0 });
    props.keyPairSecret.grantRead(this.handler.function);
  }
}
