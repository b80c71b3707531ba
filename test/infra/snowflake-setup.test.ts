import { describe, expect, it } from '@jest/globals';
import { testSqlLibrary } from '#test/support/sql-library.ts';
import { loadConfig } from '../../lib/config.ts';
import { TallyInfraError } from '../../lib/errors.ts';
import { renderSnowflakeSetup } from '../../lib/snowflake-setup.ts';

const PUBLIC_KEY =
  '-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAu1SU1LfVLPHCozMxH2Mo\n-----END PUBLIC KEY-----\n';
const inputs = {
  config: loadConfig(
    (key) => ({ 'tally:stage': 'prod', 'tally:snowflakeExternalId': 'tally-prod-7f3a9c' })[key],
    {
      requireHandshake: false,
    },
  ),
  bucketName: 'tally-prod-deliveryraw-1a2b3c4d5e6f',
  storageRoleArn: 'arn:aws:iam::123456789012:role/tally-prod-snowflake-storage',
  rsaPublicKey: PUBLIC_KEY,
};

/** Column names of a rendered CREATE TABLE or COPY INTO column list. */
const columnsOf = (list: string): string[] =>
  list
    .split(',')
    .map((c) => c.trim().split(/\s+/)[0] ?? '')
    .filter((c) => c !== '');

describe('renderSnowflakeSetup', () => {
  const sql = renderSnowflakeSetup(inputs);

  it('renders the same account objects and pipes for the same inputs', () => {
    // The tables between them belong to sql/ddl/ and are checked against the pipes below.
    const lastAccountStatement = 'USE WAREHOUSE TALLY_WH;';
    const accountObjects = sql.slice(0, sql.indexOf(lastAccountStatement) + lastAccountStatement.length);
    const pipes = sql.slice(sql.indexOf('CREATE FILE FORMAT'));

    expect(accountObjects).toMatchSnapshot('account objects');
    expect(pipes).toMatchSnapshot('stage and pipes');
  });

  it('leaves no placeholder or template unrendered', () => {
    expect(sql).not.toMatch(/&\{|\{\{/);
  });

  it('creates the storage integration on the stack role, blocking the errors prefix', () => {
    expect(sql).toContain('CREATE STORAGE INTEGRATION IF NOT EXISTS TALLY_PROD_S3');
    expect(sql).toContain(
      "STORAGE_AWS_ROLE_ARN = 'arn:aws:iam::123456789012:role/tally-prod-snowflake-storage'",
    );
    expect(sql).toContain("STORAGE_BLOCKED_LOCATIONS = ('s3://tally-prod-deliveryraw-1a2b3c4d5e6f/errors/')");
  });

  it('registers the bare public key on the service user', () => {
    expect(sql).toContain(
      "ALTER USER TALLY_SERVICE SET RSA_PUBLIC_KEY = 'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAu1SU1LfVLPHCozMxH2Mo'",
    );
  });

  it('creates the warehouse tables before the pipes that load them', () => {
    const table = sql.indexOf('CREATE TABLE IF NOT EXISTS raw.events');

    expect(table).toBeGreaterThan(sql.indexOf('CREATE SCHEMA IF NOT EXISTS raw'));
    expect(sql.indexOf('CREATE PIPE IF NOT EXISTS raw.events_pipe AUTO_INGEST = TRUE')).toBeGreaterThan(
      table,
    );
    expect(sql).toContain('CREATE PIPE IF NOT EXISTS raw.rejected_pipe AUTO_INGEST = TRUE');
  });

  it("has both pipes load every good line of a file and keep the bad ones in the tables' error tables", () => {
    for (const table of ['raw.events', 'raw.rejected_events']) {
      const logging = sql.indexOf(`ALTER TABLE ${table} SET ERROR_LOGGING = TRUE;`);
      expect(logging).toBeGreaterThan(sql.indexOf(`CREATE TABLE IF NOT EXISTS ${table} (`));
      const pipe = sql.slice(sql.indexOf(`COPY INTO ${table} (`));
      expect(pipe.slice(0, pipe.indexOf(';'))).toMatch(/\nON_ERROR = CONTINUE$/);
      expect(sql.indexOf(`COPY INTO ${table} (`)).toBeGreaterThan(logging);
    }
  });

  it("stamps loaded_at from Snowpipe's scan start, not SYSDATE() (which can read hours before the load)", () => {
    for (const table of ['raw.events', 'raw.rejected_events']) {
      const pipe = sql.slice(sql.indexOf(`COPY INTO ${table} (`));
      const select = pipe.slice(0, pipe.indexOf(';'));
      expect(select).toMatch(
        // loaded_at follows file_name and file_row in both column lists
        /METADATA\$FILE_ROW_NUMBER,\n {4}CONVERT_TIMEZONE\('UTC', METADATA\$START_SCAN_TIME\)::TIMESTAMP_NTZ[,\n]/,
      );
      expect(select).not.toMatch(/SYSDATE|CURRENT_TIMESTAMP/);
    }
  });

  it.each([
    ['raw/events', 'raw.events'],
    ['raw/rejected_events', 'raw.rejected_events'],
  ])('fills every column of %s from its pipe', (ddl, table) => {
    const created = testSqlLibrary('snowflake').file(`ddl/${ddl}`).text;
    const tableColumns = columnsOf(
      /\(([\s\S]*)\)/.exec(created.slice(created.indexOf('CREATE TABLE')))?.[1] ?? '',
    );
    const copied = columnsOf(new RegExp(`COPY INTO ${table} \\(([^)]*)\\)`).exec(sql)?.[1] ?? '');

    expect(tableColumns.length).toBeGreaterThan(10);
    expect(copied.sort()).toEqual(tableColumns.sort());
  });

  it("presets the stage's external id on the storage integration, so the role trusts it from the first deploy", () => {
    expect(sql).toMatch(
      /CREATE STORAGE INTEGRATION IF NOT EXISTS TALLY_PROD_S3[^;]*STORAGE_AWS_EXTERNAL_ID = 'tally-prod-7f3a9c'/,
    );
  });

  it('refuses to render without an external id, saying how to choose and where to store it', () => {
    const render = () =>
      renderSnowflakeSetup({
        ...inputs,
        config: loadConfig((key) => ({ 'tally:stage': 'prod' })[key], { requireHandshake: false }),
      });

    expect(render).toThrow(/tally:snowflakeExternalId is not set for stage prod/);
    expect(render).toThrow(/"tally:stages": \{ "prod": \{ "snowflakeExternalId": "\.\.\." \} \}/);
  });

  it("lets the analyst role use the jobs warehouse (never the transform's) and read the curated tables and views, current and future", () => {
    const grants = sql.slice(sql.indexOf('GRANT USAGE ON DATABASE TALLY TO ROLE TALLY_ANALYST'));

    expect(sql).toContain('CREATE ROLE IF NOT EXISTS TALLY_ANALYST');
    expect(sql).toContain('GRANT USAGE ON WAREHOUSE TALLY_JOBS_WH TO ROLE TALLY_ANALYST;');
    expect(sql).not.toContain('ON WAREHOUSE TALLY_WH TO ROLE TALLY_ANALYST');
    for (const grant of [
      'GRANT USAGE ON SCHEMA curated TO ROLE TALLY_ANALYST;',
      'GRANT SELECT ON ALL TABLES IN SCHEMA curated TO ROLE TALLY_ANALYST;',
      'GRANT SELECT ON ALL VIEWS IN SCHEMA curated TO ROLE TALLY_ANALYST;',
      'GRANT SELECT ON FUTURE TABLES IN SCHEMA curated TO ROLE TALLY_ANALYST;',
      'GRANT SELECT ON FUTURE VIEWS IN SCHEMA curated TO ROLE TALLY_ANALYST;',
    ]) {
      expect(grants).toContain(grant);
    }
    expect(sql.indexOf('GRANT USAGE ON SCHEMA curated')).toBeGreaterThan(
      sql.indexOf('CREATE SCHEMA IF NOT EXISTS curated'),
    );
  });

  it('replaces every view with its grants kept', () => {
    const views = sql.match(/CREATE OR REPLACE VIEW [^\n]*/g) ?? [];

    expect(views.length).toBeGreaterThan(2);
    for (const view of views) expect(view).toMatch(/ COPY GRANTS AS$/);
  });

  describe('cost controls', () => {
    const statement = (start: string): string => {
      const at = sql.indexOf(start);
      expect(at).toBeGreaterThanOrEqual(0);
      return sql.slice(at, sql.indexOf(';', at));
    };
    const TRIGGERS =
      /TRIGGERS ON 75 PERCENT DO NOTIFY ON 90 PERCENT DO NOTIFY ON 100 PERCENT DO SUSPEND\s+ON 110 PERCENT DO SUSPEND_IMMEDIATE$/;

    it("creates the stage's monthly resource monitor with the configured quota: notify at 75 and 90 %, suspend at 100, at once at 110", () => {
      const created = statement('CREATE RESOURCE MONITOR IF NOT EXISTS TALLY_PROD_MONITOR');

      expect(created).toMatch(/CREDIT_QUOTA = 2500 FREQUENCY = MONTHLY/);
      expect(created).toMatch(TRIGGERS);
    });

    it('applies a changed quota when the setup runs again', () => {
      const quota = (credits: string) =>
        renderSnowflakeSetup({
          ...inputs,
          config: loadConfig(
            (key) =>
              ({
                'tally:stage': 'prod',
                'tally:snowflakeExternalId': 'tally-prod-7f3a9c',
                'tally:snowflakeMonthlyCreditQuota': credits,
              })[key],
            { requireHandshake: false },
          ),
        });
      const rendered = quota('800');
      const altered = rendered.slice(rendered.indexOf('ALTER RESOURCE MONITOR TALLY_PROD_MONITOR SET'));

      expect(altered.slice(0, altered.indexOf(';'))).toMatch(/CREDIT_QUOTA = 800\s+TRIGGERS/);
      expect(altered.slice(0, altered.indexOf(';'))).toMatch(TRIGGERS);
    });

    it('puts the transform and the other jobs on two warehouses that suspend after 60 s, both under the monitor', () => {
      for (const warehouse of ['TALLY_WH', 'TALLY_JOBS_WH']) {
        expect(statement(`CREATE WAREHOUSE IF NOT EXISTS ${warehouse}`)).toMatch(
          /WAREHOUSE_SIZE = 'XSMALL' AUTO_SUSPEND = 60 AUTO_RESUME = TRUE/,
        );
        expect(statement(`ALTER WAREHOUSE ${warehouse} SET`)).toMatch(
          /AUTO_SUSPEND = 60 AUTO_RESUME = TRUE\s+RESOURCE_MONITOR = TALLY_PROD_MONITOR$/,
        );
        expect(sql.indexOf(`ALTER WAREHOUSE ${warehouse} SET`)).toBeGreaterThan(
          sql.indexOf('CREATE RESOURCE MONITOR'),
        );
        expect(sql).toContain(`GRANT USAGE, OPERATE ON WAREHOUSE ${warehouse} TO ROLE TALLY_PIPELINE;`);
      }
    });

    it("sizes the transform's warehouse from config, on creation and on every later run", () => {
      const sized = renderSnowflakeSetup({
        ...inputs,
        config: loadConfig(
          (key) =>
            ({
              'tally:stage': 'prod',
              'tally:snowflakeExternalId': 'tally-prod-7f3a9c',
              'tally:snowflakeWarehouseSize': 'SMALL',
            })[key],
          { requireHandshake: false },
        ),
      });

      expect(sized).toMatch(/CREATE WAREHOUSE IF NOT EXISTS TALLY_WH\s+WAREHOUSE_SIZE = 'SMALL'/);
      expect(sized).toMatch(/ALTER WAREHOUSE TALLY_WH SET WAREHOUSE_SIZE = 'SMALL'/);
      expect(sized).toMatch(/CREATE WAREHOUSE IF NOT EXISTS TALLY_JOBS_WH\s+WAREHOUSE_SIZE = 'XSMALL'/);
    });

    it('pins 1 day of Time Travel on the database, on creation and on every later run', () => {
      expect(statement('CREATE DATABASE IF NOT EXISTS TALLY')).toMatch(/DATA_RETENTION_TIME_IN_DAYS = 1\s/);
      expect(sql).toContain('ALTER DATABASE TALLY SET DATA_RETENTION_TIME_IN_DAYS = 1;');
    });

    it('creates the work schema transient with no Time Travel, before any work table', () => {
      const schema = sql.indexOf(
        'CREATE TRANSIENT SCHEMA IF NOT EXISTS work DATA_RETENTION_TIME_IN_DAYS = 0;',
      );
      const workTables = [...sql.matchAll(/CREATE (?:OR REPLACE )?\w*\s*TABLE (?:IF NOT EXISTS )?work\./g)];

      expect(schema).toBeGreaterThan(0);
      expect(workTables.length).toBeGreaterThan(5);
      for (const table of workTables) expect(table.index).toBeGreaterThan(schema);
      expect(sql).not.toMatch(/CREATE SCHEMA IF NOT EXISTS work/);
    });
  });

  it('refuses a bucket, role or key it cannot trust, naming each', () => {
    const render = () =>
      renderSnowflakeSetup({
        ...inputs,
        bucketName: 'Bad Bucket',
        storageRoleArn: 'role',
        rsaPublicKey: "x'; --",
      });

    expect(render).toThrow(TallyInfraError);
    expect(render).toThrow(/bucket name "Bad Bucket"[\s\S]*"role" is not a role ARN[\s\S]*public key/);
  });
});
