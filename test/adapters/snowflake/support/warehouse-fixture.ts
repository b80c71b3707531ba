import { generateKeyPairSync } from 'node:crypto';
import type { SnowflakeConfig } from '#adapters/snowflake/config.ts';
import {
  createSnowflakeWarehouse,
  type SnowflakeRetryEvent,
  type SnowflakeWarehouseDeps,
} from '#adapters/snowflake/snowflake-warehouse.ts';
import { FakeDriver } from './fake-driver.ts';

export const config: SnowflakeConfig = {
  account: 'acme-analytics',
  user: 'TALLY_SERVICE',
  role: 'TALLY_TRANSFORMER',
  warehouse: 'TALLY_WH',
  database: 'TALLY',
  privateKeySecretId: 'tally/snowflake',
  queryTag: 'tally:test',
  statementTimeoutSeconds: 600,
  application: 'tally',
  driverLogLevel: 'ERROR',
};

/** An unencrypted PKCS#8 PEM, generated once per test file. */
let key: string | undefined;
export const testKey = (): string => {
  key ??= generateKeyPairSync('rsa', { modulusLength: 2048 })
    .privateKey.export({ type: 'pkcs8', format: 'pem' })
    .toString();
  return key;
};

/**
 * A warehouse on the fake driver. Waits are recorded instead of slept and jitter is fixed at half the
 * ceiling, so backoff is visible in `sleeps`.
 */
export const fakeWarehouse = (deps: SnowflakeWarehouseDeps = {}) => {
  const driver = new FakeDriver();
  const sleeps: number[] = [];
  const retries: SnowflakeRetryEvent[] = [];
  const warehouse = createSnowflakeWarehouse(config, {
    connect: driver.factory,
    privateKey: async () => testKey(),
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 0.5,
    onRetry: (event) => retries.push(event),
    ...deps,
  });
  return { driver, warehouse, sleeps, retries };
};

/** A promise with its resolver, to hold work open while a test acts. */
export const deferred = () => {
  let resolve: () => void = () => {};
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
};
