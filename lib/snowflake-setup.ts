import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadSqlLibrary } from '#adapters/node/sql-files.ts';
import { pipelineDdl } from '#core/pipeline/pipeline-ddl.ts';
import { renderSqlFile } from '#core/warehouse/template.ts';
import type { TallyConfig } from './config.ts';
import { TallyInfraError } from './errors.ts';
import { REPO_ROOT } from './project-function.ts';

/** What the setup needs beyond `cdk.json`: two stack outputs and the service user's public key. */
export interface SnowflakeSetupInputs {
  readonly config: TallyConfig;
  /** Stack output `RawBucketName`. */
  readonly bucketName: string;
  /** Stack output `StorageIntegrationRoleArn`. */
  readonly storageRoleArn: string;
  /** The service user's RSA public key, PEM or bare base64. */
  readonly rsaPublicKey: string;
  /** @default `<repo>/sql` */
  readonly sqlDir?: string;
}

const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const PLACEHOLDER = /&\{([a-z_]+)\}/g;

const accountObjectName = (stage: string, suffix: string): string =>
  `TALLY_${stage.replace(/-/g, '_').toUpperCase()}_${suffix}`;

/** The storage integration's name for a stage (`TALLY_DEV_S3`). */
export const storageIntegrationName = (stage: string): string => accountObjectName(stage, 'S3');

/** The resource monitor on a stage's warehouses (`TALLY_DEV_MONITOR`). */
export const resourceMonitorName = (stage: string): string => accountObjectName(stage, 'MONITOR');

/**
 * Renders the whole one-time Snowflake setup as one script: `sql/snowflake/setup.sql` (roles,
 * resource monitor, warehouses, database, service user, storage integration with the stage's external id), every table of
 * `sql/ddl/` for Snowflake (schemas first, the same files the model runner applies), then
 * `sql/snowflake/pipes.sql` (file format, stage, the two auto-ingest pipes) and
 * `sql/snowflake/grants.sql` (the analyst role's reads). Values come only from validated config and
 * checked inputs; every problem is reported at once.
 */
export const renderSnowflakeSetup = (inputs: SnowflakeSetupInputs): string => {
  const problems: string[] = [];
  if (!BUCKET.test(inputs.bucketName))
    problems.push(`bucket name ${JSON.stringify(inputs.bucketName)} is not valid`);
  if (!ROLE_ARN.test(inputs.storageRoleArn))
    problems.push(`${JSON.stringify(inputs.storageRoleArn)} is not a role ARN`);
  const publicKey = inputs.rsaPublicKey
    .split('\n')
    .filter((line) => !line.startsWith('-----'))
    .join('')
    .trim();
  if (!BASE64.test(publicKey)) problems.push('the RSA public key is not PEM or base64');
  const externalId = inputs.config.snowflake.externalId;
  if (externalId === undefined) {
    problems.push(
      `tally:snowflakeExternalId is not set for stage ${inputs.config.stage}: choose one (e.g. \`openssl rand -hex 16\`), ` +
        `store it in cdk.json under "tally:stages": { "${inputs.config.stage}": { "snowflakeExternalId": "..." } } ` +
        'and deploy, so the storage role trusts it before the integration uses it',
    );
  }
  if (problems.length > 0)
    throw new TallyInfraError(`Cannot render the Snowflake setup:\n  - ${problems.join('\n  - ')}`);

  const { snowflake, stage } = inputs.config;
  const variables: Readonly<Record<string, string>> = {
    role: snowflake.role,
    warehouse: snowflake.warehouse,
    warehouse_size: snowflake.warehouseSize,
    jobs_warehouse: snowflake.jobsWarehouse,
    resource_monitor: resourceMonitorName(stage),
    monthly_credit_quota: String(snowflake.monthlyCreditQuota),
    database: snowflake.database,
    user: snowflake.user,
    rsa_public_key: publicKey,
    integration: storageIntegrationName(stage),
    storage_role_arn: inputs.storageRoleArn,
    external_id: externalId ?? '',
    bucket: inputs.bucketName,
    analyst_role: snowflake.analystRole,
  };
  const sqlDir = inputs.sqlDir ?? join(REPO_ROOT, 'sql');
  const part = (file: string): string[] => {
    const source = readFileSync(join(sqlDir, `${file}.sql`), 'utf8').replace(
      PLACEHOLDER,
      (_m, name: string) => {
        const value = variables[name];
        if (value === undefined) throw new TallyInfraError(`sql/${file}.sql: unknown placeholder &{${name}}`);
        return value;
      },
    );
    return renderSqlFile(file, source, 'snowflake').statements.map((s) => s.sql);
  };
  // Every table and view the pipeline uses (warehouse, activation, quality, erasure), in the order
  // the local stack applies them, so both warehouses always have the same objects.
  const tables = pipelineDdl(loadSqlLibrary('snowflake', sqlDir));

  const statements = [
    ...part('snowflake/setup'),
    ...tables,
    ...part('snowflake/pipes'),
    ...part('snowflake/grants'),
  ];
  return [
    `-- Tally Snowflake setup for stage '${stage}', rendered from cdk.json and the stack outputs. Run as ACCOUNTADMIN.`,
    ...statements.map((sql) => `${sql};`),
    '',
  ].join('\n\n');
};
