import { createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import {
  GetSecretValueCommand,
  InternalServiceError,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { jest } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import { SnowflakeConfigError, SnowflakeConnectionError } from '#adapters/snowflake/errors.ts';
import { createSecretsManagerKeySource } from '#adapters/snowflake/secrets-manager-key-source.ts';

const SECRET_ID = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:tally/snowflake-AbCdEf';
const PASSPHRASE = 'correct horse battery staple';

const client = new SecretsManagerClient({
  region: 'eu-west-1',
  credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
});
const secretsManager = mockClient(client);

let privateKey: KeyObject;
let encryptedSecret: string;
beforeAll(() => {
  ({ privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 }));
  encryptedSecret = JSON.stringify({
    private_key: privateKey.export({
      type: 'pkcs8',
      format: 'pem',
      cipher: 'aes-256-cbc',
      passphrase: PASSPHRASE,
    }),
    private_key_passphrase: PASSPHRASE,
  });
});
beforeEach(() => secretsManager.reset());

describe('createSecretsManagerKeySource', () => {
  it('reads the secret with exactly one GetSecretValue for the configured secret id', async () => {
    secretsManager.on(GetSecretValueCommand).resolves({ SecretString: encryptedSecret });

    await createSecretsManagerKeySource(client, SECRET_ID)();

    expect(secretsManager.calls()).toHaveLength(1);
    expect(secretsManager.commandCalls(GetSecretValueCommand)[0]?.args[0].input).toEqual({
      SecretId: SECRET_ID,
    });
  });

  it('returns the key decrypted, as an unencrypted PKCS#8 PEM', async () => {
    secretsManager.on(GetSecretValueCommand).resolves({ SecretString: encryptedSecret });

    const key = await createSecretsManagerKeySource(client, SECRET_ID)();

    expect(key).toBe(privateKey.export({ type: 'pkcs8', format: 'pem' }));
    expect(createPrivateKey(key).asymmetricKeyType).toBe('rsa');
  });

  it('reads the secret once and serves every later session from the cache', async () => {
    secretsManager.on(GetSecretValueCommand).resolves({ SecretString: encryptedSecret });
    const source = createSecretsManagerKeySource(client, SECRET_ID);

    const keys = await Promise.all([source(), source()]);
    keys.push(await source());

    expect(new Set(keys).size).toBe(1);
    expect(secretsManager.commandCalls(GetSecretValueCommand)).toHaveLength(1);
  });

  it('reads the secret again after its max age, so a rotated key is used without a new container', async () => {
    const rotated = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    secretsManager
      .on(GetSecretValueCommand)
      .resolvesOnce({ SecretString: encryptedSecret })
      .resolves({
        SecretString: JSON.stringify({ private_key: rotated.export({ type: 'pkcs8', format: 'pem' }) }),
      });
    jest.useFakeTimers({ now: 0, doNotFake: ['nextTick', 'queueMicrotask', 'setImmediate', 'setTimeout'] });
    try {
      const source = createSecretsManagerKeySource(client, SECRET_ID, { maxAgeSeconds: 300 });
      const first = await source();
      jest.setSystemTime(299_000);
      expect(await source()).toBe(first);
      jest.setSystemTime(300_001);

      expect(await source()).toBe(rotated.export({ type: 'pkcs8', format: 'pem' }));
      expect(secretsManager.commandCalls(GetSecretValueCommand)).toHaveLength(2);
    } finally {
      jest.useRealTimers();
    }
  });

  it('does not cache a failed read, so the next session tries again', async () => {
    secretsManager
      .on(GetSecretValueCommand)
      .rejectsOnce(new InternalServiceError({ message: 'Internal failure', $metadata: {} }))
      .resolves({ SecretString: encryptedSecret });
    const source = createSecretsManagerKeySource(client, SECRET_ID);

    await expect(source()).rejects.toThrow(SnowflakeConnectionError);
    await expect(source()).resolves.toContain('-----BEGIN PRIVATE KEY-----');
    expect(secretsManager.commandCalls(GetSecretValueCommand)).toHaveLength(2);
  });

  it('reports a server-side failure as a retryable connection error', async () => {
    secretsManager
      .on(GetSecretValueCommand)
      .rejects(new InternalServiceError({ message: 'Internal failure', $metadata: {} }));

    await expect(createSecretsManagerKeySource(client, SECRET_ID)()).rejects.toMatchObject({
      name: 'SnowflakeConnectionError',
      retryable: true,
      code: 'InternalServiceError',
    });
  });

  it('reports a missing secret as a configuration error naming it, not worth retrying', async () => {
    secretsManager.on(GetSecretValueCommand).rejects(
      new ResourceNotFoundException({
        message: "Secrets Manager can't find the specified secret.",
        $metadata: {},
      }),
    );

    const read = createSecretsManagerKeySource(client, SECRET_ID)();

    await expect(read).rejects.toThrow(SnowflakeConfigError);
    await expect(read).rejects.toMatchObject({
      retryable: false,
      problems: [
        `secret ${SECRET_ID} could not be read (ResourceNotFoundException: Secrets Manager can't find the specified secret.)`,
      ],
    });
  });

  it('reports a secret without the expected fields as a configuration error', async () => {
    secretsManager.on(GetSecretValueCommand).resolves({ SecretString: '{"password":"hunter2"}' });

    await expect(createSecretsManagerKeySource(client, SECRET_ID)()).rejects.toMatchObject({
      name: 'SnowflakeConfigError',
      problems: [`secret ${SECRET_ID} has no "private_key" string`],
    });
  });
});
