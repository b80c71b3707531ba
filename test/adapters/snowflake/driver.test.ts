import { generateKeyPairSync } from 'node:crypto';
import { jest } from '@jest/globals';
import type { SnowflakeConfig } from '#adapters/snowflake/config.ts';
import {
  type DriverConnection,
  type DriverFailure,
  loadSnowflakeSdk,
  snowflakeSdkFactory,
} from '#adapters/snowflake/driver.ts';
import { DRIVER_ERROR_CODES, recoveryOf } from '#adapters/snowflake/driver-errors.ts';
import { connectionOptions } from '#adapters/snowflake/session.ts';

/** These tests use the real snowflake-sdk without reaching Snowflake: nothing here calls `connect`. */

const config: SnowflakeConfig = {
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

let pkcs8: string;
beforeAll(() => {
  pkcs8 = generateKeyPairSync('rsa', { modulusLength: 2048 })
    .privateKey.export({ type: 'pkcs8', format: 'pem' })
    .toString();
});

/** Everything written to stderr while `run` creates a connection. */
const stderrDuring = async (run: () => DriverConnection | Promise<DriverConnection>): Promise<string[]> => {
  const lines: string[] = [];
  const spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    lines.push(String(chunk));
    return true;
  });
  try {
    await run();
  } finally {
    spy.mockRestore();
  }
  return lines;
};

describe('snowflake-sdk behind the driver seam', () => {
  it('is loaded with platform detection off, so loading it probes no metadata endpoint and calls no STS', async () => {
    await loadSnowflakeSdk();

    expect(process.env.SNOWFLAKE_DISABLE_PLATFORM_DETECTION).toBe('true');
  });

  it('accepts the key-pair options the adapter builds (the driver validates them on creation)', async () => {
    await expect(snowflakeSdkFactory('ERROR')(connectionOptions(config, pkcs8))).resolves.toBeDefined();
  });

  it('rejects options it cannot use, such as a private key that is not a PEM', async () => {
    await expect(snowflakeSdkFactory('ERROR')(connectionOptions(config, 'not a key'))).rejects.toThrow(
      /Invalid private key/,
    );
  });

  it('refuses a statement on a connection that never connected with an error the adapter reconnects from', async () => {
    const connection = await snowflakeSdkFactory('ERROR')(connectionOptions(config, pkcs8));

    const error = await new Promise<DriverFailure | undefined>((resolve) => {
      connection.execute({
        sqlText: 'select 1',
        requestId: '6f1c2a9e-3b7d-4c55-9a0e-2d8f4b1c7e10',
        parameters: {},
        complete: (failure) => resolve(failure),
      });
    });

    expect(error).toMatchObject({ code: 407001, sqlState: '08003' });
    expect(recoveryOf(error!)).toBe('reconnect');
  });

  it('names the same error codes as the installed driver', async () => {
    const { ErrorCode } = await loadSnowflakeSdk();

    for (const [name, code] of Object.entries(DRIVER_ERROR_CODES)) {
      expect([name, ErrorCode[name as keyof typeof ErrorCode]]).toEqual([name, code]);
    }
  });

  it('routes driver logging to stderr at the configured level instead of ./snowflake.log', async () => {
    const chatty = await stderrDuring(() => snowflakeSdkFactory('INFO')(connectionOptions(config, pkcs8)));
    const quiet = await stderrDuring(() => snowflakeSdkFactory('ERROR')(connectionOptions(config, pkcs8)));

    expect(chatty).toContain('snowflake-sdk: Creating new connection object\n');
    expect(chatty.join('')).not.toContain('PRIVATE KEY');
    expect(quiet).toEqual([]);
  });
});
