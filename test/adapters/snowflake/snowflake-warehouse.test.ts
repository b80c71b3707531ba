import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { SnowflakeError } from '#adapters/snowflake/errors.ts';
import { createSecretsManagerKeySource } from '#adapters/snowflake/secrets-manager-key-source.ts';
import { config, fakeWarehouse } from './support/warehouse-fixture.ts';

const statementParameters = (tag: string) => ({
  QUERY_TAG: tag,
  STATEMENT_TIMEOUT_IN_SECONDS: 600,
  TIMEZONE: 'UTC',
});

describe('createSnowflakeWarehouse', () => {
  it('reports the snowflake dialect', () => {
    expect(fakeWarehouse().warehouse.dialect).toBe('snowflake');
  });

  describe('session', () => {
    let privateKey: KeyObject;
    const client = new SecretsManagerClient({
      region: 'eu-west-1',
      credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
    });
    const secretsManager = mockClient(client);
    beforeAll(() => {
      ({ privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 }));
    });

    it('logs in with key-pair JWT using the key decrypted from the secret, and nothing else', async () => {
      secretsManager.on(GetSecretValueCommand, { SecretId: config.privateKeySecretId }).resolves({
        SecretString: JSON.stringify({
          private_key: privateKey.export({
            type: 'pkcs8',
            format: 'pem',
            cipher: 'aes-256-cbc',
            passphrase: 'pw',
          }),
          private_key_passphrase: 'pw',
        }),
      });
      const { driver, warehouse } = fakeWarehouse({
        privateKey: createSecretsManagerKeySource(client, config.privateKeySecretId),
      });

      await warehouse.execute('select 1');

      expect(driver.created).toEqual([
        {
          account: 'acme-analytics',
          username: 'TALLY_SERVICE',
          role: 'TALLY_TRANSFORMER',
          warehouse: 'TALLY_WH',
          database: 'TALLY',
          authenticator: 'SNOWFLAKE_JWT',
          privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }),
          application: 'tally',
        },
      ]);
    });
  });

  it('opens the session on first use and reuses it for every later statement', async () => {
    const { driver, warehouse } = fakeWarehouse();
    expect(driver.created).toHaveLength(0);

    await warehouse.execute('create schema if not exists ops');
    await warehouse.query('select 1');
    await Promise.all([warehouse.query('select 2'), warehouse.query('select 3')]);

    expect(driver.created).toHaveLength(1);
    expect(driver.executed.map((e) => e.connection)).toEqual([0, 0, 0, 0]);
  });

  it('tags every statement and bounds its run time with statement-level session parameters', async () => {
    const { driver, warehouse } = fakeWarehouse();

    await warehouse.execute('delete from ops.watermarks where model = ?', ['fct_feature_events']);
    await warehouse.query('select count(*) from raw.events');

    expect(driver.executed.map((e) => e.parameters)).toEqual([
      statementParameters('tally:test'),
      statementParameters('tally:test'),
    ]);
  });

  it("tags a model's statements with the model name appended", async () => {
    const { driver, warehouse } = fakeWarehouse();
    const model = warehouse.withQueryTag('fct_feature_events');

    await model.execute('insert into curated.fct_feature_events select 1');
    await model.withQueryTag('merge').execute('merge into curated.feature_usage_daily t using s on true');
    await warehouse.execute('select 1');

    expect(model.queryTag).toBe('tally:test:fct_feature_events');
    expect(driver.executed.map((e) => e.parameters.QUERY_TAG)).toEqual([
      'tally:test:fct_feature_events',
      'tally:test:fct_feature_events:merge',
      'tally:test',
    ]);
  });

  it('refuses a query tag suffix outside the plain tag alphabet', () => {
    const { warehouse } = fakeWarehouse();

    expect(() => warehouse.withQueryTag("x' or 1=1")).toThrow(
      new RangeError(`query tag suffix "x' or 1=1" may only contain letters, digits and _ . : / @ = -`),
    );
  });

  it('sends parameters to the driver as binds for ? placeholders, never inside the SQL text', async () => {
    const { driver, warehouse } = fakeWarehouse();
    const sql =
      'select * from raw.events where workspace_id = ? and loaded_at > ? and is_late = ? and note is ?';

    await warehouse.query(sql, ['ws_42', '2026-11-01T00:00:00.000Z', true, null]);

    expect(driver.executed).toEqual([
      expect.objectContaining({ sqlText: sql, binds: ['ws_42', '2026-11-01T00:00:00.000Z', true, null] }),
    ]);
  });

  it('returns rows with lower-cased column names, as on DuckDB', async () => {
    const { driver, warehouse } = fakeWarehouse();
    driver.answer = () => ({
      rows: [
        { FEATURE_ID: 'reports.export', USERS_7D: 12, FIRST_USED: '2026-11-02' },
        { FEATURE_ID: 'reports.share', USERS_7D: 3, FIRST_USED: null },
      ],
    });

    const rows = await warehouse.query<{ feature_id: string; users_7d: number }>(
      'select feature_id, users_7d, first_used from curated.feature_adoption_by_workspace',
    );

    expect(rows).toEqual([
      { feature_id: 'reports.export', users_7d: 12, first_used: '2026-11-02' },
      { feature_id: 'reports.share', users_7d: 3, first_used: null },
    ]);
  });

  it('returns the rows a DML statement changed, and 0 for statements that change none', async () => {
    const { driver, warehouse } = fakeWarehouse();
    driver.answer = ({ sqlText }) => (sqlText.startsWith('merge') ? { updatedRows: 7 } : {});

    const merged = await warehouse.execute('merge into curated.feature_usage_daily t using s on true');
    const created = await warehouse.execute('create table if not exists ops.model_runs (run_id string)');

    expect([merged, created]).toEqual([7, 0]);
  });

  it('ends the session on close and refuses statements afterwards', async () => {
    const { driver, warehouse } = fakeWarehouse();
    await warehouse.execute('select 1');

    await warehouse.close();

    expect(driver.destroyed).toEqual([0]);
    await expect(warehouse.execute('select 2')).rejects.toThrow(
      new SnowflakeError('the Snowflake warehouse is closed'),
    );
    expect(driver.created).toHaveLength(1);
  });

  it('closes without opening a session when none was used', async () => {
    const { driver, warehouse } = fakeWarehouse();

    await warehouse.close();

    expect([driver.created, driver.destroyed]).toEqual([[], []]);
  });
});
